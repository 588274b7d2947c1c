/** Scopes arrive as a list in JSON and as one space- or comma-separated string in a URL. */
export function parseScopeList(value: string): string[] {
  return value.split(/[\s,]+/).filter((scope) => scope !== '');
}

/** The first requested scope the client did not register, if any. */
export function unregisteredScope(requested: readonly string[], registered: readonly string[]): string | undefined {
  return requested.find((scope) => !registered.includes(scope));
}
