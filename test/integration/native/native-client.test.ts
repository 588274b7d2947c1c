import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRelayRequest } from '../../../main/relay/relay-wire';
import { buildCli, type BuiltCli } from '../cli/build-cli';

// Issue 11, item 8: the native client against agents that fail it. Whatever answers on
// the socket (cut off, silent, not HTTP, too old, or nothing at all), the client prints
// one sentence with the documented exit code and never hangs.

let cli: BuiltCli;
let dir: string;
let native: string;
let servers: Server[] = [];

beforeAll(async () => {
  cli = await buildCli();
  native = join(cli.dir, 'bin', 'latchkey');
  dir = await mkdtemp(join(tmpdir(), 'latchkey-native-'));
}, 120_000);

afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(cli.dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function start(file: string, args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Run> } {
  const began = Date.now();
  const child = spawn(file, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - began })));
  return { child, done };
}

let count = 0;

/** A socket in a private directory, answered by `onRequest` with the raw request text. */
async function agentThat(onRequest: (socket: Socket, request: string) => void): Promise<string> {
  count += 1;
  const socketDir = join(dir, `run-${count}`);
  await mkdir(socketDir, { mode: 0o700 });
  const socketPath = join(socketDir, 'agent.sock');
  const server = createServer((socket) => {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? '0');
      if (text.length >= headEnd + 4 + length) onRequest(socket, text);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  // The client's trust check refuses a socket that others could reach (test/integration/cli/socket-trust.test.ts).
  await chmod(socketPath, 0o600);
  servers.push(server);
  return socketPath;
}

function frame(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

const RELAY_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/vnd.latchkey.relay\r\n\r\n';

function envFor(socketPath: string): Record<string, string> {
  return { HOME: dir, LATCHKEY_SOCKET: socketPath };
}

describe('the native client', () => {
  it('says the agent stopped when the frames end before the exit code', async () => {
    const socketPath = await agentThat((socket) => {
      socket.end(Buffer.concat([Buffer.from(RELAY_HEAD), frame('I', Buffer.from('ab12')), frame('E', Buffer.from('half a sen'))]));
    });
    const run = await start(native, ['status'], envFor(socketPath)).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`half a senlatchkey: The Latchkey agent stopped before the command finished (its log: ${join(socketPath, '..', 'agent.log')}); run the command again, which starts a new agent.\n`);
  });

  it('says so when the agent speaks another relay protocol, in the agent\'s own sentence', async () => {
    let sentence = '';
    try {
      readRelayRequest({ version: 2 });
    } catch (error) {
      sentence = error instanceof Error ? error.message : '';
    }
    expect(sentence).toMatch(/relay protocol 2 and the running agent speaks 1; quit the agent/);
    const body = JSON.stringify({ error: { code: 'version_mismatch', message: sentence } });
    const socketPath = await agentThat((socket) => {
      socket.end(`HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    const run = await start(native, ['status'], envFor(socketPath)).done;
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: `latchkey: ${sentence}\n` });
  });

  it('tells an agent older than the relay from other refusals, and says what to do when no Node CLI can take over', async () => {
    const alone = join(dir, 'alone', 'bin');
    await mkdir(alone, { recursive: true });
    await copyFile(native, join(alone, 'latchkey'));
    const body = JSON.stringify({ error: { code: 'not_found', message: 'There is no route /v1/relay; see docs/agent-api.md for the routes.' } });
    const socketPath = await agentThat((socket) => {
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    const run = await start(join(alone, 'latchkey'), ['status'], envFor(socketPath)).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('latchkey: The running Latchkey agent is older than this latchkey command and cannot run it; quit the agent (or the Latchkey app) and run the command again.\n');
  });

  it('refuses what answers on the socket when it is not HTTP', async () => {
    const socketPath = await agentThat((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    const run = await start(native, ['status'], envFor(socketPath)).done;
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`latchkey: What answers on ${socketPath} is not a Latchkey agent (its answer is not HTTP); stop it, or set LATCHKEY_SOCKET to another path.\n`);
  });

  it('gives up on an agent that accepts and never answers, with one sentence', async () => {
    const socketPath = await agentThat(() => undefined);
    const run = await start(native, ['status'], envFor(socketPath)).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^latchkey: The Latchkey agent at .* did not answer within 10 seconds \(its log: .*\); quit it \(or the Latchkey app\) and run the command again\.\n$/);
    expect(run.ms).toBeLessThan(14_000);
  }, 20_000);

  it('says what is missing when no agent answers and neither the Node CLI nor the app is beside it', async () => {
    const alone = join(dir, 'alone-2', 'bin');
    await mkdir(alone, { recursive: true });
    await copyFile(native, join(alone, 'latchkey'));
    const run = await start(join(alone, 'latchkey'), ['status'], envFor(join(dir, 'nobody', 'agent.sock'))).done;
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('latchkey: No Latchkey agent answers, and this latchkey has neither the Node CLI beside it nor the Latchkey app around it to start one; reinstall Latchkey.\n');
  });

  /** The packaged Linux app's resources around a copy of the client, with `desktop` as its app binary. */
  async function packagedApp(name: string, desktop: string): Promise<string> {
    const resources = join(dir, name, 'resources');
    await mkdir(join(resources, 'bin'), { recursive: true });
    await writeFile(join(resources, 'app.asar'), '');
    await writeFile(join(dir, name, 'latchkey-desktop'), desktop, { mode: 0o755 });
    await copyFile(native, join(resources, 'bin', 'latchkey'));
    return join(resources, 'bin', 'latchkey');
  }

  it('says at once that the app failed when the packaged app it starts exits with an error', async () => {
    const client = await packagedApp('app-fails', '#!/bin/sh\nexit 3\n');
    const run = await start(client, ['status'], envFor(join(dir, 'nobody', 'agent.sock'))).done;
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^latchkey: The Latchkey app at .*latchkey-desktop exited \(exit status: 3\) before its agent answered; start it once from your desktop to see why\.\n$/);
    expect(run.ms).toBeLessThan(3_000);
  });

  it('says that the app is the agent when `latchkey agent` runs in the packaged app, which has no Node CLI', async () => {
    const client = await packagedApp('app-agent', '#!/bin/sh\nexit 0\n');
    const run = await start(client, ['agent'], envFor(join(dir, 'nobody', 'agent.sock'))).done;
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(
      'latchkey: "latchkey agent" runs the headless agent, which needs Node.js and the Node CLI; in the Latchkey app the app itself is the agent: start Latchkey (any other latchkey command starts it in the tray).\n',
    );
  });

  it('says Node.js is needed when no agent answers and node is not on PATH', async () => {
    const run = await start(native, ['status'], { ...envFor(join(dir, 'nobody', 'agent.sock')), PATH: '/nonexistent' }).done;
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^latchkey: No Latchkey agent answers, and Node\.js, which runs the headless agent, cannot be started \(.*\); install Node\.js 20\.9 or later, or start the Latchkey app\.\n$/);
  });

  it('asks the agent to cancel the command on Ctrl+C and ends with the command\'s last words; a second Ctrl+C ends it at once', async () => {
    let relayed: Socket | undefined;
    const interrupts: string[] = [];
    const socketPath = await agentThat((socket, request) => {
      if (request.startsWith('POST /v1/relay HTTP')) {
        relayed = socket;
        socket.write(Buffer.concat([Buffer.from(RELAY_HEAD), frame('I', Buffer.from('c0ffee'))]));
      } else {
        interrupts.push(request.split('\r\n')[0] ?? '');
        socket.end('HTTP/1.1 204 No Content\r\n\r\n');
        relayed?.end(Buffer.concat([frame('E', Buffer.from('Sign-in cancelled.\n')), frame('X', Buffer.from([0, 0, 0, 130]))]));
      }
    });
    const first = start(native, ['login', '--session', 'corp'], envFor(socketPath));
    await until(() => relayed !== undefined);
    first.child.kill('SIGINT');
    const run = await first.done;
    expect(interrupts).toEqual(['POST /v1/relay/c0ffee/interrupt HTTP/1.0']);
    expect(run).toMatchObject({ code: 130, stderr: 'Sign-in cancelled.\n' });

    const stubborn = await agentThat((socket, request) => {
      if (request.startsWith('POST /v1/relay HTTP')) socket.write(Buffer.concat([Buffer.from(RELAY_HEAD), frame('I', Buffer.from('beef'))]));
      else socket.end('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const second = start(native, ['login', '--session', 'corp'], envFor(stubborn));
    await new Promise((resolve) => setTimeout(resolve, 300));
    second.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    second.child.kill('SIGINT');
    expect((await second.done).code).toBe(130);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  // Give the client a moment past the frame to install its handler for Ctrl+C.
  await new Promise((resolve) => setTimeout(resolve, 50));
}
