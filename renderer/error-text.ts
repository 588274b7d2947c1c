/**
 * One sentence for the page from a failed bridge call. In the app, Electron hands the page
 * only the message, prefixed ("Error invoking remote method 'x': Error: ..."), and the
 * main process puts `{"code","message"}` there (main/desktop/ipc-main.ts); in the browser
 * tests the error arrives plain.
 */
export function errorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^Error invoking remote method '[^']*': /, '').replace(/^(Latchkey)?Error: /, '');
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not the main process's JSON: the message is the sentence.
  }
  return message;
}
