import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, staticInputsOfEntry, type BuiltCli } from './build-cli';

let cli: BuiltCli;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await rm(cli.dir, { recursive: true, force: true });
});

function entryInputs(): string[] {
  const entryOutput = relative(process.cwd(), cli.entry);
  expect(cli.metafile.outputs[entryOutput]).toBeDefined();
  return staticInputsOfEntry(cli.metafile, entryOutput);
}

describe('the credential_process fast path', () => {
  it.each(['node_modules/got', 'node_modules/@github/keytar', 'node_modules/ini', 'node_modules/hpagent'])(
    'loads nothing from %s before running',
    (prefix) => {
      expect(entryInputs().filter((input) => input.includes(prefix))).toEqual([]);
    },
  );

  it('loads no agent, AWS client or keychain code (only the shared socket path)', () => {
    const heavy = entryInputs().filter(
      (input) => /^main\/(agent|aws|store|desktop)\//.test(input) && input !== 'main/agent/socket-path.ts',
    );
    expect(heavy).toEqual([]);
  });

  it('loads no AWS config parsing from main/core', () => {
    expect(entryInputs().filter((input) => input.startsWith('main/core/aws-config'))).toEqual([]);
  });

  it('imports only small Node built-ins statically', () => {
    const builtins = entryInputs().filter((input) => input.startsWith('node:'));
    expect(new Set(builtins)).toEqual(new Set(['node:util', 'node:fs', 'node:os', 'node:http', 'node:path']));
  });

  it('still bundles got for the agent, in a lazy chunk (so the checks above are not vacuous)', () => {
    const all = Object.values(cli.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(all.some((input) => input.includes('node_modules/got/'))).toBe(true);
  });

  it('keeps the other commands in lazy chunks', () => {
    const inputs = entryInputs();
    for (const lazy of ['login', 'exec', 'setup-profiles', 'status', 'agent']) {
      expect(inputs).not.toContain(`main/cli/commands/${lazy}.ts`);
    }
    expect(inputs).toContain('main/cli/commands/credential-process.ts');
  });
});
