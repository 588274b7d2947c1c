/**
 * Text from elsewhere (IAM Identity Center, a proxy, the agent's socket) made safe to
 * show. Without this, an escape sequence in an account name repaints the terminal, a
 * carriage return overwrites what was printed before it, and a bidi override makes
 * `exe.txt` read as `txt.exe`. Such characters are replaced, not dropped, so the reader
 * sees that something was there.
 */

const REPLACEMENT = '\uFFFD';
const ELLIPSIS = '…';

/** `text` with every unprintable character replaced, cut to `maxChars` characters (the last one an ellipsis). */
export function printable(text: string, maxChars = Infinity): string {
  // By code point, so an emoji is never cut in half.
  const chars = Array.from(text, (char) => (isUnprintable(char.codePointAt(0) ?? 0) ? REPLACEMENT : char));
  return chars.length <= maxChars ? chars.join('') : chars.slice(0, Math.max(0, maxChars - 1)).join('') + ELLIPSIS;
}

/** Like `printable`, but keeps line feeds: for messages that list one problem per line. */
export function printableLines(text: string): string {
  return text.split('\n').map((line) => printable(line)).join('\n');
}

/** Whether `printable` would leave `text` as it is (its length aside). */
export function isPrintable(text: string): boolean {
  for (const char of text) if (isUnprintable(char.codePointAt(0) ?? 0)) return false;
  return true;
}

/**
 * C0 controls, DEL, C1 controls (U+009B is a one-character CSI to some terminals), the
 * line and paragraph separators, and the bidi embeddings, overrides and isolates.
 */
function isUnprintable(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  );
}
