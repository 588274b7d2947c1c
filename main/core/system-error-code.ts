/** The `code` of a Node system error (`ENOENT`, `ECONNREFUSED`, ...), if the value has one. */
export function systemErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
