/** "9:41", or "1:02:03" past an hour: the countdown's digits. */
export function formatCountdown(remainingMs: number): string {
  const totalSeconds = Math.max(0, Math.ceil(remainingMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const mmss = `${minutes}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}` : mmss;
}

/** "8 s" for the network retry line: whole seconds, never negative. */
export function formatSeconds(remainingMs: number): string {
  return `${Math.max(0, Math.ceil(remainingMs / 1000))} s`;
}
