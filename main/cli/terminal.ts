import type { OutputStream } from './cli-context';

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so does output that is not a terminal. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, stream: OutputStream): boolean {
  return stream.isTTY && (env['NO_COLOR'] ?? '') === '';
}

export function bold(text: string, color: boolean): string {
  return color ? `\x1b[1m${text}\x1b[22m` : text;
}

/**
 * One status line that rewrites itself on a terminal (`\r` and clear-line), and prints a
 * plain line per change elsewhere, so logs and CI output stay readable.
 */
export class StatusLine {
  private last = '';
  private open = false;

  constructor(private readonly stream: OutputStream) {}

  /** `key` tells a new state from a countdown tick of the same one; only new states print off a terminal. */
  show(text: string, key: string = text): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.open = true;
    } else if (key !== this.last) {
      this.stream.write(`${text}\n`);
    }
    this.last = key;
  }

  /** Ends the updating line so what follows starts on a fresh one. */
  done(): void {
    if (this.open) this.stream.write('\r\x1b[2K');
    this.open = false;
  }
}

/** `9:41`, for countdowns. */
export function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
