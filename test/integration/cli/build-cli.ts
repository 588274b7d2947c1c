import type { Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface BuiltCli {
  dir: string;
  /** The entry file, `<dir>/cli/latchkey.cjs`. */
  entry: string;
  /** What esbuild put into the entry file (the credential_process fast path). */
  entryMetafile: Metafile;
  /** The other commands' bundle and its lazy chunks. */
  commandsMetafile: Metafile;
}

/**
 * Builds the CLI with scripts/build.mjs itself, into a temporary directory, so the tests
 * run the real bundle without depending on an earlier `npm run build`.
 */
export async function buildCli(): Promise<BuiltCli> {
  // Inside the repository's node_modules, so the lazy agent chunk finds @github/keytar at run time.
  const cacheDir = join(process.cwd(), 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const dir = await mkdtemp(join(cacheDir, 'latchkey-cli-test-'));
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--only', 'cli', '--outdir', dir]);
  const metafile = async (name: string): Promise<Metafile> => JSON.parse(await readFile(join(dir, 'cli', name), 'utf8')) as Metafile;
  return {
    dir,
    entry: join(dir, 'cli', 'latchkey.cjs'),
    entryMetafile: await metafile('metafile-latchkey.json'),
    commandsMetafile: await metafile('metafile-commands.json'),
  };
}
