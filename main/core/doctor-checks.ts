import { MAX_CLOCK_SKEW_MS } from './time-windows';

/** The checks of `latchkey doctor`, in the order a headless user needs them to pass. */
export const DOCTOR_CHECK_IDS = ['config', 'agent', 'socket', 'store', 'endpoints', 'clock'] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECK_IDS)[number];

/**
 * `skip`: not checked because an earlier check failed (no agent to ask, no endpoint that
 * answered); `unknown`: checked, but the answer cannot tell (an older agent). Neither
 * fails the run by itself: the failure that caused a skip already does.
 */
export type DoctorCheckState = 'ok' | 'fail' | 'skip' | 'unknown';

export interface DoctorCheck {
  id: DoctorCheckId;
  state: DoctorCheckState;
  /** What was found, one line. */
  summary: string;
  /** For a failure: sentences that say what to do, one per line. */
  fixes: readonly string[];
}

/** The checks in DOCTOR_CHECK_IDS order, whatever order they were made in. */
export function orderedChecks(checks: readonly DoctorCheck[]): DoctorCheck[] {
  return [...checks].sort((a, b) => DOCTOR_CHECK_IDS.indexOf(a.id) - DOCTOR_CHECK_IDS.indexOf(b.id));
}

/** 0 when nothing failed, 1 otherwise (docs/cli.md, "Exit codes"). */
export function doctorExitCode(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((check) => check.state === 'fail') ? 1 : 0;
}

export function passed(id: DoctorCheckId, summary: string): DoctorCheck {
  return { id, state: 'ok', summary, fixes: [] };
}

export function failed(id: DoctorCheckId, summary: string, fixes: readonly string[]): DoctorCheck {
  return { id, state: 'fail', summary, fixes };
}

export function skipped(id: DoctorCheckId, summary: string): DoctorCheck {
  return { id, state: 'skip', summary, fixes: [] };
}

/**
 * The local clock against the Date header of an answer from `host`, taken when the answer
 * arrived. A header that is missing or not a date cannot tell, so it is `unknown`.
 */
export function clockCheck(localMs: number, dateHeader: string | undefined, host: string): DoctorCheck {
  const serverMs = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  if (Number.isNaN(serverMs)) return { id: 'clock', state: 'unknown', summary: `${host} sent no Date header to compare with`, fixes: [] };
  // The header has whole seconds only, so up to a second of skew is the header's rounding.
  const skewMs = localMs - serverMs;
  const off = `${describeDuration(Math.abs(skewMs))} ${skewMs > 0 ? 'ahead of' : 'behind'} ${host}`;
  if (Math.abs(skewMs) <= MAX_CLOCK_SKEW_MS) return passed('clock', Math.abs(skewMs) < 2000 ? `in step with ${host}` : `${off}, within 5 minutes`);
  return failed('clock', `this machine's clock is ${off}`, [
    'Set the system clock right and keep it synchronised with NTP (timedatectl set-ntp true, or your system\'s time settings): beyond 5 minutes AWS refuses signed requests and tokens expire at the wrong time.',
  ]);
}

/** `12 minutes`, `3 hours 5 minutes`, `2 days 1 hour`: precise enough to see how far off. */
function describeDuration(ms: number): string {
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes < 1) return `${Math.floor(ms / 1000)} seconds`;
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  return unit(minutes, 'minute');
}
