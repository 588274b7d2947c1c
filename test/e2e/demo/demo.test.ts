import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const outdir = await mkdtemp(join(process.cwd(), 'node_modules', '.cache', 'latchkey-demo-build-'));
afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('signs in on the embedded emulator and shows credential_process output, unattended', async () => {
    // Without a terminal the demo approves the code itself and cleans up when done.
    // As on a newcomer's machine without a desktop session: the demo starts its own keyring.
    const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_DEMO_OUTDIR: outdir };
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    const child = spawn(process.execPath, ['scripts/demo.mjs'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/confirm this code:\s+[A-Z]{4}-[A-Z]{4}/);
    expect(output).toContain('Signed in to demo');
    expect(output).toMatch(/"Version":1,"AccessKeyId":"ASIA/);
    expect(output).toContain('Signed out of demo.');
    // Only the demo's own lines: no D-Bus warning first, no agent log line last.
    expect(output).not.toMatch(/^dbus-daemon/m);
    expect(output).not.toMatch(/^\{"time":/m);
  }, 120_000);
});
