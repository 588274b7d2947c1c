import { fromProcess } from '@aws-sdk/credential-providers';
// The JS SDK's own config reader, as @aws-sdk/credential-provider-process imports it.
import { loadSharedConfigFiles } from '@smithy/core/config';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandWordProblem, credentialProcessCommand, type CommandDialect } from '../../../main/core/credential-process-command';
import { pythonSdkSkipReason, runPython } from '../../support/python-sdk';

// The quoting of credential_process lines (main/core/credential-process-command.ts)
// against the AWS clients themselves: every awkward word must reach the command as
// exactly that word, through botocore's config reader and split and through the JS SDK's
// ini reader and /bin/sh. Windows has no cmd.exe here: there botocore's own Windows split
// (which it runs on any platform when asked) and the JS SDK's reader are checked.

const pythonSkip = pythonSdkSkipReason();
if (pythonSkip !== undefined) console.warn(`credential_process quoting: botocore is skipped: ${pythonSkip}.`);

const AWKWARD_WORDS = [
  "it's",
  "'",
  '"double" quotes',
  '$HOME',
  '$(id)',
  '`id`',
  'back\\slash',
  'trailing\\',
  '\\\'',
  '"\\"',
  'ü ラッチ',
  'a #b',
  'a ;b',
  'a\u00a0#b',
  '#start',
  ';',
  '~',
  '~/x',
  'A=b',
  '*',
  '',
  '&& |<>',
  '!x',
  '{a,b}',
  '%PATH%',
  '  two  spaces  ',
  '(x)',
  '^caret',
];

const CREDENTIALS = { Version: 1, AccessKeyId: 'ASIAQUOTING', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2099-01-01T00:00:00Z' };

let dir: string;
let recorder: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-quoting-'));
  log = join(dir, 'argv.log');
  // Stands in for Latchkey: writes the arguments it was given, one JSON line per run.
  recorder = join(dir, 'record-argv');
  await writeFile(
    recorder,
    `#!${process.execPath}\n` +
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n` +
      `process.stdout.write(${JSON.stringify(JSON.stringify(CREDENTIALS))});\n`,
  );
  await chmod(recorder, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A config with one profile per word, `w<N>`, whose credential_process runs the recorder with `w<N>` and the word. */
async function configFor(words: readonly string[], dialect: CommandDialect, command: string): Promise<{ path: string; lines: string[] }> {
  const lines = words.map((word, n) => credentialProcessCommand([command, `w${n}`, word], dialect));
  const path = join(dir, `config-${dialect}`);
  await writeFile(path, lines.map((line, n) => `[profile w${n}]\ncredential_process = ${line}\n`).join('\n'));
  return { path, lines };
}

async function recorded(): Promise<string[][]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  await rm(log, { force: true });
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as string[]);
}

const EXPECTED = AWKWARD_WORDS.map((word, n) => [`w${n}`, word]);

describe('credential_process lines on POSIX', () => {
  it('reach the command word for word through the JS SDK (its ini reader, then /bin/sh)', async () => {
    const { path } = await configFor(AWKWARD_WORDS, 'posix', recorder);
    await recorded();
    for (let n = 0; n < AWKWARD_WORDS.length; n += 1) {
      await fromProcess({ profile: `w${n}`, configFilepath: path, filepath: join(dir, 'no-credentials') })();
    }
    expect(await recorded()).toEqual(EXPECTED);
  });

  it.skipIf(pythonSkip !== undefined)('reach the command word for word through botocore (its config reader, shlex, Popen)', async () => {
    const { path } = await configFor(AWKWARD_WORDS, 'posix', recorder);
    await recorded();
    const run = await runPython(
      `import botocore.session\nfor n in range(${AWKWARD_WORDS.length}):\n    botocore.session.Session(profile='w%d' % n).get_credentials()\n`,
      { AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'), HOME: dir },
    );
    expect(run.stderr).toBe('');
    expect(await recorded()).toEqual(EXPECTED);
  });
});

describe('credential_process lines on Windows', () => {
  const words = AWKWARD_WORDS.filter((word) => commandWordProblem(word, 'windows') === undefined);
  const command = 'C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe';

  it('refuses only the words cmd.exe or the JS SDK cannot be given', () => {
    expect(AWKWARD_WORDS.filter((word) => !words.includes(word))).toEqual(['"double" quotes', '"\\"', 'a ;b', '%PATH%']);
  });

  it('come out of the JS SDK\'s ini reader whole', async () => {
    const { path, lines } = await configFor(words, 'windows', command);
    const { configFile } = await loadSharedConfigFiles({ configFilepath: path, filepath: join(dir, 'no-credentials'), ignoreCache: true });
    expect(words.map((_word, n) => configFile[`w${n}`]?.['credential_process'])).toEqual(lines);
  });

  it.skipIf(pythonSkip !== undefined)('split word for word by botocore\'s Windows split', async () => {
    const { path } = await configFor(words, 'windows', command);
    const run = await runPython(
      'import json, botocore.session\nfrom botocore.compat import compat_shell_split\n' +
        `profiles = botocore.session.Session().full_config['profiles']\n` +
        `print(json.dumps([compat_shell_split(profiles['w%d' % n]['credential_process'], 'win32') for n in range(${words.length})]))\n`,
      { AWS_CONFIG_FILE: path, HOME: dir },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(words.map((word, n) => [command, `w${n}`, word]));
  });
});
