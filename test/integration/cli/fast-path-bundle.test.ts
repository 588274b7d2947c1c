import { execFile } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './build-cli';

let cli: BuiltCli;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await rm(cli.dir, { recursive: true, force: true });
});

/** Everything in the one file the fast path loads, with the built-ins it imports. */
function entryInputs(): string[] {
  const entryOutput = relative(process.cwd(), cli.entry);
  const output = cli.entryMetafile.outputs[entryOutput];
  if (output === undefined) throw new Error(`no ${entryOutput} in the metafile`);
  // `import()`s run only on other paths (the event stream's node:http, commands.mjs).
  const loadedAtStart = output.imports.filter((imported) => imported.kind !== 'dynamic-import');
  return [...Object.keys(output.inputs), ...loadedAtStart.map((imported) => imported.path)];
}

describe('the credential_process fast path', () => {
  it.each(['node_modules/got', 'node_modules/@github/keytar', 'node_modules/ini', 'node_modules/hpagent'])(
    'loads nothing from %s before running',
    (prefix) => {
      expect(entryInputs().filter((input) => input.includes(prefix))).toEqual([]);
    },
  );

  it('loads no agent, AWS client or keychain code (only the shared socket and config paths and the trust check)', () => {
    // Tiny pure modules (node:path only), shared so the CLI and the agent never disagree on a path.
    const shared = ['main/agent/socket-path.ts', 'main/aws/aws-config-path.ts', 'main/files/trusted-path.ts'];
    const heavy = entryInputs().filter((input) => /^main\/(agent|aws|store|desktop|files)\//.test(input) && !shared.includes(input));
    expect(heavy).toEqual([]);
  });

  it('checks the socket before it connects (main/files/trusted-path.ts)', () => {
    expect(entryInputs()).toContain('main/files/trusted-path.ts');
  });

  it('loads no AWS config parsing from main/core', () => {
    expect(entryInputs().filter((input) => input.startsWith('main/core/aws-config'))).toEqual([]);
  });

  it('is executable as it is, as its #! line and `npm link` expect', async () => {
    expect((await stat(cli.entry)).mode & 0o755).toBe(0o755);
    const { stdout } = await promisify(execFile)(cli.entry, ['--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is one file: it imports no chunk of its own', () => {
    const entryOutput = relative(process.cwd(), cli.entry);
    const imports = cli.entryMetafile.outputs[entryOutput]?.imports ?? [];
    expect(imports.filter((imported) => !imported.path.startsWith('node:'))).toEqual([]);
  });

  it('imports only small Node built-ins statically', () => {
    const builtins = entryInputs().filter((input) => input.startsWith('node:'));
    // node:net, not node:http: the one request goes over socket-http.ts (its comment says
    // why); no node:util either: argument parsing belongs to the full CLI. node:fs is part
    // of Node's own start-up, for the socket trust check (main/files/trusted-path.ts).
    expect(new Set(builtins)).toEqual(new Set(['node:os', 'node:net', 'node:path', 'node:fs']));
  });

  it('still bundles got for the agent, in a lazy chunk (so the checks above are not vacuous)', () => {
    const all = Object.values(cli.commandsMetafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(all.some((input) => input.includes('node_modules/got/'))).toBe(true);
  });

  it('answers credential_process itself and leaves every command, and argument parsing, to the full CLI', () => {
    const inputs = entryInputs();
    for (const lazy of ['login', 'exec', 'setup-profiles', 'status', 'agent', 'credential-process']) {
      expect(inputs).not.toContain(`main/cli/commands/${lazy}.ts`);
    }
    expect(inputs).not.toContain('main/cli/cli-args.ts');
    expect(inputs).toContain('main/cli/fast-credential-process.ts');
  });
});
