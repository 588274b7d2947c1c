import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * A second local user for the attacks of docs/security.md: created with `useradd`, the
 * attacker's side run under `setpriv` with that user's uid and gid only, removed after.
 * Creating users needs root, which CI has; with LATCHKEY_REQUIRE_SECOND_USER=1 (set by
 * .ci/run) these tests fail rather than skip when that does not work.
 */
export interface SecondUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** A directory the user can read, for the scripts it runs (the checkout may be private). */
  readonly workspace: string;
  /** Runs `command` as this user, with exactly `env` plus a PATH. */
  spawn(command: string, args: readonly string[], env?: Record<string, string>): ChildProcessWithoutNullStreams;
  /** Copies a script from the repository into the workspace; returns its path there. */
  stage(scriptPath: string): Promise<string>;
  remove(): Promise<void>;
}

/** Why second-user tests cannot run here, or undefined when they can. */
export function secondUserSkipReason(): string | undefined {
  if (process.env.LATCHKEY_REQUIRE_SECOND_USER === '1') return undefined;
  if (process.platform !== 'linux') return 'they create a Linux user with useradd';
  if (process.getuid?.() !== 0) return 'creating a second local user needs root (CI runs as root)';
  for (const tool of ['useradd', 'userdel', 'setpriv']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

/** Creates a fresh user with no home, no password and no login shell. */
export async function createSecondUser(): Promise<SecondUser> {
  // useradd names: at most 32 characters, lower case; unique per run and test file.
  const name = `lk-${process.pid.toString(36)}-${randomBytes(3).toString('hex')}`;
  execFileSync('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name], {
    stdio: 'pipe',
  });
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  const workspace = await mkdtemp(join(tmpdir(), 'lk-attacker-'));
  await chmod(workspace, 0o755);
  const children = new Set<ChildProcessWithoutNullStreams>();
  return {
    name,
    uid,
    gid,
    workspace,
    spawn(command, args, env = {}) {
      const child = spawn(
        'setpriv',
        [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', command, ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'pipe' },
      );
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async stage(scriptPath) {
      const target = join(workspace, basename(scriptPath));
      await copyFile(scriptPath, target);
      await chmod(target, 0o644);
      return target;
    },
    async remove() {
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
      try {
        // Processes of the user outside this set (none are expected) would make userdel fail.
        execFileSync('pkill', ['-KILL', '-u', String(uid)], { stdio: 'ignore' });
      } catch {
        // pkill exits 1 when it found nothing to kill.
      }
      execFileSync('userdel', [name], { stdio: 'pipe' });
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first stdout line of `child` that parses as JSON and passes `match`. */
export function nextJsonLine<T>(child: ChildProcessWithoutNullStreams, match: (line: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`no matching line from the second user's process within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const parsed = JSON.parse(line) as T;
          if (match(parsed)) return finish(undefined, parsed);
        } catch {
          // Not a JSON line: ignore.
        }
      }
    };
    const onErr = (chunk: Buffer): void => void (stderr += chunk.toString('utf8'));
    const onExit = (code: number | null): void => finish(new Error(`the second user's process exited (${code}) first; stderr: ${stderr}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', onErr);
    child.once('exit', onExit);
    function finish(error: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
      if (error !== undefined) reject(error);
      else resolve(value as T);
    }
  });
}

/** Every JSON line a process prints on stdout, kept from the start, to wait on and to count. */
export class JsonLineLog<T> {
  readonly lines: T[] = [];
  private buffered = '';
  private readonly waiters = new Set<() => void>();

  constructor(child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(line) as T);
        } catch {
          continue;
        }
        for (const wake of this.waiters) wake();
      }
    });
  }

  /** Resolves with the first line, seen already or to come, that passes `match`. */
  waitFor(match: (line: T) => boolean, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(match);
        if (found === undefined) return false;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no matching line within ${timeoutMs} ms; lines so far: ${JSON.stringify(this.lines)}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }
}
