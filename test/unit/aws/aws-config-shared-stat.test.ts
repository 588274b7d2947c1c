import type * as fsPromises from 'node:fs/promises';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachedAwsConfigReader } from '../../../main/aws/aws-config-file';

// The real stat, counted, and held after it has looked when a test asks.
const statControl = vi.hoisted(() => ({ calls: 0, hold: undefined as Promise<void> | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>();
  return {
    ...actual,
    stat: async (...args: Parameters<typeof actual.stat>) => {
      statControl.calls += 1;
      const info = await actual.stat(...args);
      if (statControl.hold !== undefined) await statControl.hold;
      return info;
    },
  };
});

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = eu-west-1
`;

let home: string;
let path: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'latchkey-shared-stat-'));
  path = join(home, 'config');
  await writeFile(path, CONFIG);
  statControl.calls = 0;
  statControl.hold = undefined;
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cachedAwsConfigReader under many callers at once (issue 14: load)', () => {
  it('makes a couple of stats for 1,000 reads at once, not 1,000', async () => {
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    const first = await read();
    statControl.calls = 0;
    const all = await Promise.all(Array.from({ length: 1000 }, () => read()));
    expect(all.every((config) => config === first)).toBe(true);
    // The one under way and the one every later caller joined.
    expect(statControl.calls).toBeLessThanOrEqual(2);
  });

  it('never answers a caller from a stat that looked before it asked: an edit it has seen is read', async () => {
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    await read();
    let release = (): void => undefined;
    statControl.hold = new Promise<void>((resolve) => (release = resolve));
    const before = read();
    // Let that stat look at the unedited file; it is then held.
    await vi.waitFor(() => expect(statControl.calls).toBe(2));
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path, CONFIG.replace('eu-west-1', 'eu-west-2'));
    await utimes(path, new Date(), new Date(Date.now() + 1000));
    const after = read();
    statControl.hold = undefined;
    release();
    expect((await before).ssoSessions.get('corp')?.region).toBe('eu-west-1');
    expect((await after).ssoSessions.get('corp')?.region).toBe('eu-west-2');
  });
});
