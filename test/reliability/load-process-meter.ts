import { readdirSync, readFileSync } from 'node:fs';

/** What /proc says of a process at one moment. */
export interface ProcessSample {
  /** Resident memory now (VmRSS), MiB. */
  rssMiB: number;
  /** The highest resident memory since the process started (VmHWM), MiB. */
  peakRssMiB: number;
  /** Open file descriptors (entries of /proc/<pid>/fd). */
  fds: number;
}

/** Reads VmRSS, VmHWM and the descriptor count of `pid` (Linux only). */
export function sampleProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return {
    rssMiB: round(kib('VmRSS') / 1024),
    peakRssMiB: round(kib('VmHWM') / 1024),
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

/**
 * Samples `pid` every `intervalMs` until stopped, and keeps the highest descriptor
 * count and resident memory seen: the load test's bounds are about the worst moment.
 */
export class ProcessMeter {
  peakFds = 0;
  peakRssMiB = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.take();
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  /** Stops sampling and takes one last sample (VmHWM covers any peak between samples). */
  stop(): ProcessSample {
    clearInterval(this.timer);
    return this.take();
  }

  private take(): ProcessSample {
    const sample = sampleProcess(this.pid);
    this.samples += 1;
    this.peakFds = Math.max(this.peakFds, sample.fds);
    this.peakRssMiB = Math.max(this.peakRssMiB, sample.peakRssMiB);
    return sample;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
