import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALE_TEMP_FILE_MS, writeFileAtomically } from '../../../main/files/atomic-file-write';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lk-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function leftover(name: string, ageMs: number): Promise<void> {
    const path = join(dir, name);
    await writeFile(path, '[profile half-writ');
    const at = new Date(Date.now() - ageMs);
    await utimes(path, at, at);
  }

  it('removes the temporary files a writer killed mid-write left beside the file, and only those', async () => {
    // Seen in the SIGKILL loops of test/reliability/durability-setup-profiles.test.ts.
    await leftover('.config.0123456789ab.tmp', STALE_TEMP_FILE_MS + 5_000);
    await leftover('.config.ba9876543210.tmp', 1_000); // another writer's, in flight
    await leftover('.credentials.0123456789ab.tmp', STALE_TEMP_FILE_MS + 5_000); // another file's
    await leftover('.config.notours.tmp', STALE_TEMP_FILE_MS + 5_000);
    await leftover('config.0123456789ab.tmp', STALE_TEMP_FILE_MS + 5_000);

    await writeFileAtomically(join(dir, 'config'), '[default]\n', 0o600);

    expect(await readFile(join(dir, 'config'), 'utf8')).toBe('[default]\n');
    expect((await readdir(dir)).sort()).toEqual(['.config.ba9876543210.tmp', '.config.notours.tmp', '.credentials.0123456789ab.tmp', 'config', 'config.0123456789ab.tmp']);
  });
});
