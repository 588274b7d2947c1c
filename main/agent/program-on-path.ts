import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The first executable file `name` in the folders of `pathVariable` (or `name` itself when
 * it is an absolute path to one), as a shell would find it; undefined when there is none.
 */
export function programOnPath(name: string, pathVariable: string | undefined, canRun: (path: string) => boolean = isExecutable): string | undefined {
  if (isAbsolute(name)) return canRun(name) ? name : undefined;
  for (const folder of (pathVariable ?? '').split(delimiter)) {
    // An empty entry means the working directory, which is not a place to take a program from.
    if (folder === '' || !isAbsolute(folder)) continue;
    const candidate = join(folder, name);
    if (canRun(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
