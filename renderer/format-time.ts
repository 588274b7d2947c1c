const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** "9:41", or "1:02:03" past an hour: the countdown's digits. */
export function formatCountdown(remainingMs: number): string {
  const totalSeconds = Math.max(0, Math.ceil(remainingMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const mmss = `${minutes}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}` : mmss;
}

/** "17:42" (or "5:42 PM"), in the user's locale and time zone. */
export function formatClockTime(epochMs: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(epochMs);
}

/** "52 min left", "3 h 5 min left", "less than a minute left", "ended". */
export function formatTimeLeft(remainingMs: number): string {
  if (remainingMs <= 0) return 'ended';
  if (remainingMs < MINUTE_MS) return 'less than a minute left';
  const hours = Math.floor(remainingMs / HOUR_MS);
  const minutes = Math.floor((remainingMs % HOUR_MS) / MINUTE_MS);
  if (hours === 0) return `${minutes} min left`;
  return minutes === 0 ? `${hours} h left` : `${hours} h ${minutes} min left`;
}

/** "8 s" for the network retry line: whole seconds, never negative. */
export function formatSeconds(remainingMs: number): string {
  return `${Math.max(0, Math.ceil(remainingMs / 1000))} s`;
}
