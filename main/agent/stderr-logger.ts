import type { Logger } from '../core/logger';

export interface StderrLoggerOptions {
  /** `LATCHKEY_DEBUG=1`: debug lines too. */
  debug: boolean;
  /** Where lines go; process.stderr by default. */
  write?: (line: string) => void;
  now?: () => Date;
}

/**
 * Field names whose values are never written, whatever a caller passes: the Logger
 * contract already forbids secrets, and this catches the mistake before it reaches a file.
 */
const SECRET_FIELD = /token|secret|password|authorization|credential|verifier/i;

/** One JSON object per line on stderr: easy to read in a terminal and to grep in a log file. */
export function createStderrLogger(options: StderrLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  function log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    if (level === 'debug' && !options.debug) return;
    const entry: Record<string, unknown> = { time: now().toISOString(), level, message };
    for (const [key, value] of Object.entries(fields ?? {})) entry[key] = SECRET_FIELD.test(key) ? '[redacted]' : value;
    write(`${safeStringify(entry)}\n`);
  }
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

function safeStringify(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch {
    return JSON.stringify({ time: entry.time, level: entry.level, message: entry.message });
  }
}
