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
    const child = spawn(process.execPath, ['scripts/demo.mjs'], {
      env: { ...process.env, LATCHKEY_DEMO_OUTDIR: outdir },
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
  }, 120_000);
});
