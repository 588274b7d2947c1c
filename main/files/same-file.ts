import { realpath } from 'node:fs/promises';

/** The same file through a symlink is the same file; one that does not exist is compared by its path. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const canonical = (path: string): Promise<string> => realpath(path).catch(() => path);
  return (await canonical(a)) === (await canonical(b));
}
