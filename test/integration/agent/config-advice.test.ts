import { appendFile, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from './agent-harness';

let harness: AgentHarness;

beforeEach(async () => {
  harness = await AgentHarness.start();
});

afterEach(async () => {
  await harness.close();
});

function errorMessage(json: unknown): string {
  return (json as { error: { message: string } }).error.message;
}

describe('what the agent says about a profile or session the config lacks', () => {
  it('advises a profile section that, written as advised, is served', async () => {
    const refused = await harness.request('GET', '/v1/credentials?profile=ops');
    expect(refused.status).toBe(404);
    const message = errorMessage(refused.json);
    const quoted = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
    const header = quoted.find((line) => line.startsWith('[profile '));
    // The stand-in account and role replaced by the emulator's, as a person puts in their own.
    const keys = quoted
      .filter((line) => /^[a-z_]+ = /.test(line))
      .map((line) => line.replace('123456789012', '111111111111').replace(/= ROLE$/, '= Developer'));
    expect(header).toBe('[profile ops]');
    expect(keys).toContain('credential_process = latchkey credential-process --profile ops');
    await appendFile(harness.env.AWS_CONFIG_FILE, `\n${header}\n${keys.join('\n')}\n`);

    await harness.signIn();
    const served = await harness.request('GET', '/v1/credentials?profile=ops');
    expect(served.status).toBe(200);
    expect(served.json).toMatchObject({ AccountId: '111111111111' });
    const status = await harness.request('GET', '/v1/status');
    expect((status.json as { problems: string[] }).problems.filter((p) => p.includes('[profile ops]'))).toEqual([]);
  });

  it('suggests the closest profile', async () => {
    const refused = await harness.request('GET', '/v1/credentials?profile=dve');
    expect(errorMessage(refused.json)).toContain('has no profile "dve" that Latchkey serves (did you mean "dev"?)');
  });

  it('suggests the closest session and lists the sessions there are', async () => {
    const refused = await harness.request('GET', '/v1/sessions/crop/accounts');
    expect(refused.status).toBe(404);
    expect(errorMessage(refused.json)).toBe(
      `${harness.env.AWS_CONFIG_FILE} has no [sso-session crop] section (did you mean "corp"?); the one it has is corp, or add an [sso-session crop] section with sso_start_url and sso_region.`,
    );
  });

  it('says the config file does not exist, with its path and how to create it', async () => {
    await rm(harness.env.AWS_CONFIG_FILE);
    for (const path of ['/v1/credentials?profile=dev', '/v1/sessions/corp/accounts']) {
      const refused = await harness.request('GET', path);
      expect(refused.status).toBe(404);
      expect(errorMessage(refused.json)).toMatch(
        new RegExp(`^${harness.env.AWS_CONFIG_FILE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not exist; create it with an \\[sso-session NAME\\] section`),
      );
    }
  });
});
