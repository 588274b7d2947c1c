import { chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { readRegularFile, type ReadRegularFileOptions } from '../../../main/files/read-regular-file';
import { makeFifo, releaseFifo, within } from '../../support/fifo';

let dir: string;
let server: Server | undefined;
const OPTIONS: ReadRegularFileOptions = { description: 'the test file', maxBytes: 16, followSymlinks: false };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-read-regular-'));
});

afterEach(async () => {
  await releaseFifo(join(dir, 'fifo'));
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function refusal(path: string, options: Partial<ReadRegularFileOptions> = {}): Promise<string> {
  const error = await within(readRegularFile(path, { ...OPTIONS, ...options }), 2000, `reading ${path}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLatchkeyError(error, 'config_error')) throw new Error(`expected a config_error, got ${String(error)}`);
  return error.message;
}

describe('readRegularFile', () => {
  it('reads a regular file of this user', async () => {
    await writeFile(join(dir, 'ok'), 'hello');
    expect(await readRegularFile(join(dir, 'ok'), OPTIONS)).toBe('hello');
  });

  it('reads a file of exactly the bound', async () => {
    await writeFile(join(dir, 'full'), 'x'.repeat(16));
    expect(await readRegularFile(join(dir, 'full'), OPTIONS)).toBe('x'.repeat(16));
  });

  it('reads nothing, and says so with undefined, where there is no file', async () => {
    expect(await readRegularFile(join(dir, 'missing'), OPTIONS)).toBeUndefined();
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    makeFifo(join(dir, 'fifo'));
    expect(await refusal(join(dir, 'fifo'))).toBe(`Cannot read the test file ${join(dir, 'fifo')}: it is a named pipe (FIFO), not a regular file.`);
  });

  it.each([['/dev/zero'], ['/dev/null']])('refuses the device %s', async (path) => {
    expect(await refusal(path)).toBe(`Cannot read the test file ${path}: it is a device, not a regular file.`);
  });

  it('refuses a directory', async () => {
    await mkdir(join(dir, 'sub'));
    expect(await refusal(join(dir, 'sub'))).toBe(`Cannot read the test file ${join(dir, 'sub')}: it is a directory, not a file.`);
  });

  it('refuses a socket', async () => {
    const path = join(dir, 's.sock');
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    expect(await refusal(path)).toBe(`Cannot read the test file ${path}: it is a socket or a device, not a regular file.`);
  });

  it('refuses a file larger than the bound', async () => {
    await writeFile(join(dir, 'big'), 'x'.repeat(17));
    expect(await refusal(join(dir, 'big'))).toBe(`Cannot read the test file ${join(dir, 'big')}: it is larger than 16 bytes.`);
  });

  it('refuses a symlink unless told to follow one, and then judges what it points to', async () => {
    await writeFile(join(dir, 'target'), 'hello');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    expect(await refusal(join(dir, 'link'))).toBe(`Cannot read the test file ${join(dir, 'link')}: it is a symlink, which Latchkey does not follow here.`);
    expect(await readRegularFile(join(dir, 'link'), { ...OPTIONS, followSymlinks: true })).toBe('hello');
    makeFifo(join(dir, 'fifo'));
    await symlink(join(dir, 'fifo'), join(dir, 'to-fifo'));
    expect(await refusal(join(dir, 'to-fifo'), { followSymlinks: true })).toContain('it is a named pipe (FIFO)');
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a file of another user', async () => {
    await writeFile(join(dir, 'theirs'), 'hello');
    await chown(join(dir, 'theirs'), 54_321, 54_321);
    expect(await refusal(join(dir, 'theirs'))).toBe(`Cannot read the test file ${join(dir, 'theirs')}: it belongs to another user (uid 54321).`);
  });
});
