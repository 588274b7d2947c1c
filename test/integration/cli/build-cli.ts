import { build, type Metafile } from 'esbuild';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';

export interface BuiltCli {
  dir: string;
  /** The entry file, `<dir>/latchkey.mjs`. */
  entry: string;
  metafile: Metafile;
}

/**
 * Bundles the CLI as scripts/build.mjs does (ESM, code splitting, lazy chunks under
 * chunks/), into a temporary directory, so the tests run the real bundle without
 * depending on an earlier `npm run build`.
 */
export async function buildCli(): Promise<BuiltCli> {
  // Inside the repository's node_modules, so the lazy agent chunk finds @github/keytar at run time.
  const cacheDir = join(process.cwd(), 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const dir = await mkdtemp(join(cacheDir, 'latchkey-cli-test-'));
  const result = await build({
    entryPoints: { latchkey: 'main/cli/main.ts' },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __latchkeyCreateRequire } from 'node:module';\nconst require = __latchkeyCreateRequire(import.meta.url);",
    },
    external: ['@github/keytar'],
    define: { __LATCHKEY_VERSION__: JSON.stringify('0.0.0-test') },
    metafile: true,
    logLevel: 'silent',
  });
  return { dir, entry: join(dir, 'latchkey.mjs'), metafile: result.metafile };
}

/**
 * The inputs of every output file the entry loads before it runs: the entry chunk and,
 * transitively, the chunks it imports statically. Dynamic imports are the lazy commands.
 */
export function staticInputsOfEntry(metafile: Metafile, entryOutput: string): string[] {
  const seen = new Set<string>();
  const queue = [entryOutput];
  const inputs: string[] = [];
  while (queue.length > 0) {
    const output = queue.pop() as string;
    if (seen.has(output)) continue;
    seen.add(output);
    const meta = metafile.outputs[output];
    if (meta === undefined) continue;
    inputs.push(...Object.keys(meta.inputs));
    for (const imported of meta.imports) {
      if (imported.kind === 'import-statement' && imported.external !== true) queue.push(imported.path);
      if (imported.kind === 'import-statement' && imported.external === true) inputs.push(imported.path);
    }
  }
  return inputs;
}
