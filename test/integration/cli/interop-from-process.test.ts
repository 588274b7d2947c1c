import { fromProcess } from '@aws-sdk/credential-providers';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAgent } from '../../support/fake-agent';
import { buildCli, type BuiltCli } from './build-cli';
import { cliProgram } from './run-cli';

let cli: BuiltCli;
let dir: string;
let agent: FakeAgent;
const savedSocket = process.env['LATCHKEY_SOCKET'];

beforeAll(async () => {
  cli = await buildCli();
  dir = await mkdtemp(join(tmpdir(), 'latchkey-interop-'));
  agent = await FakeAgent.start(join(dir, 'agent.sock'), {
    'GET /v1/credentials': () => ({
      status: 200,
      body: { AccessKeyId: 'ASIAINTEROP', SecretAccessKey: 'secret', SessionToken: 'session', Expiration: '2099-01-01T00:00:00Z', AccountId: '111111111111' },
    }),
  });
  // The SDK runs credential_process with this process's environment.
  process.env['LATCHKEY_SOCKET'] = agent.socketPath;
});

afterAll(async () => {
  if (savedSocket === undefined) delete process.env['LATCHKEY_SOCKET'];
  else process.env['LATCHKEY_SOCKET'] = savedSocket;
  await agent.close();
  await rm(dir, { recursive: true, force: true });
  await rm(cli.dir, { recursive: true, force: true });
});

describe('interop with the AWS SDK for JavaScript', () => {
  it('fromProcess reads credentials from a profile whose credential_process is latchkey', async () => {
    const configFile = join(dir, 'config');
    await writeFile(
      configFile,
      [
        '[profile dev]',
        `credential_process = ${cliProgram(cli.entry).commandLine} credential-process --profile dev`,
        'latchkey_session = corp',
        'latchkey_account_id = 111111111111',
        'latchkey_role_name = Developer',
        '',
      ].join('\n'),
    );
    const provider = fromProcess({ profile: 'dev', configFilepath: configFile, filepath: join(dir, 'no-credentials') });
    const credentials = await provider();
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAINTEROP',
      secretAccessKey: 'secret',
      sessionToken: 'session',
      expiration: new Date('2099-01-01T00:00:00Z'),
    });
    expect(agent.requests.at(-1)?.url.searchParams.get('profile')).toBe('dev');
  });
});
