import { createHash } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { awsSsoCacheFilePath, readAwsSsoCacheFile, secureAwsSsoCacheDirectory, writeAwsSsoCacheFile } from '../aws/aws-sso-cache-file';
import type { SsoSessionConfig } from '../core/aws-config';
import { isImportable } from '../core/aws-sso-cache-entry';
import { awsSsoCacheEntryFor } from '../core/aws-sso-cache-export';
import { signInFromAwsSsoCache, type ImportedSignIn } from '../core/aws-sso-cache-import';
import type { Clock } from '../core/clock';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import type { SessionEvent } from '../core/session-events';
import type { SignInEngine } from '../core/sign-in-engine';
import type { SignInPeer } from '../core/sign-in-peer';
import type { StoredRegistration, StoredTokens } from '../core/session-vault';
import { SingleFlight } from '../core/single-flight';
import { systemErrorCode } from '../core/system-error-code';
import { watchDirectory } from './directory-watch';
import type { SsoSessionSettings } from '../core/sso-session-settings';

export interface AwsCliCacheSyncOptions {
  engine: SignInEngine;
  homeDir: string;
  /** The `[sso-session]` sections as the AWS config names them now (it may have been edited). */
  sessions: () => Promise<ReadonlyMap<string, SsoSessionConfig>>;
  clock: Clock;
  logger: Logger;
}

/**
 * Latchkey and the AWS CLI's SSO token cache (`~/.aws/sso/cache/<sha1(session)>.json`):
 *
 * - Export (opt-in, `latchkey_sync_aws_cache = true`): after every sign-in and refresh
 *   the session's token is written there, so `aws` and the SDKs' fromSSO use it.
 * - Import: a session without Latchkey tokens adopts a valid token found there, at
 *   start and before a signed-out request is refused, so `aws sso login` counts.
 * - Sign-out: the file goes when it holds the very token Latchkey just logged out (one
 *   Latchkey wrote, or imported from it): Logout revoked it, and the AWS CLI would go on
 *   sending it. A different token there is the AWS CLI's own sign-in and stays.
 *
 * - Sharing (always, whatever the setting): the engine reads the file before every
 *   refresh and takes a later sign-in found there (an SDK refreshed first), and after a
 *   refresh writes the new tokens back when the file held the refresh token it spent (the
 *   sign-in was imported from it, or exported to it): the AWS CLI's copy never goes stale.
 *
 * - Signed out elsewhere: `aws sso logout` ends the sign-in at AWS and removes the file.
 *   When the file of a sign-in Latchkey shares disappears, the engine checks the sign-in
 *   with AWS at once (a refresh), so a sign-in AWS ended reads as signed out right away,
 *   with its reason, not at the next refresh.
 *
 * Tokens AWS rejected or Logout revoked are never imported again, and after a logout
 * nothing is imported for the session until the person signs in through Latchkey:
 * "sign out" must not be undone by the next credential request.
 *
 * A cache directory that secureAwsSsoCacheDirectory refuses (another user's) is left
 * alone entirely, no import, no export, no removal, with one warning naming it; the
 * agent goes on serving from its own sign-ins.
 */
export class AwsCliCacheSync implements Disposable, SignInPeer {
  /** Digest of the access token Latchkey holds per session (digests: no token kept beyond the vault's). */
  private readonly held = new Map<string, string>();
  private readonly refused = new Set<string>();
  private readonly loggedOut = new Set<string>();
  private readonly imports = new SingleFlight<string, boolean>();
  /** File work runs one at a time per session, so a refresh's write never lands before an older one. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly listener: Disposable;
  /** On the cache directory, from the first time a token is shared through it (the directory exists then). */
  private cacheWatch: Disposable | undefined;
  private disposed = false;
  /** The refusal last warned about: it is said once, not on every request that tries an import. */
  private warnedRefusal: string | undefined;

  constructor(private readonly options: AwsCliCacheSyncOptions) {
    this.listener = options.engine.events.on((event) => this.onSessionEvent(event));
  }

  /** When the agent first meets a session: export its current token, or import one if it has none. Never rejects. */
  async resume(session: SsoSessionSettings): Promise<void> {
    try {
      if ((await this.options.engine.status(session.name)).signedIn) {
        await this.enqueue(session.name, () => this.exportSession(session.name));
        return;
      }
      await this.importSignIn(session);
    } catch (error) {
      this.warn('Could not import the AWS CLI sign-in', session.name, error);
    }
  }

  /** For the engine's `recoverSignedOut`: true when the session is signed in after trying an import. */
  async recover(session: SsoSessionSettings): Promise<boolean> {
    try {
      await this.importSignIn(session);
      return (await this.options.engine.status(session.name)).signedIn;
    } catch (error) {
      this.warn('Could not import the AWS CLI sign-in', session.name, error);
      return false;
    }
  }

  /** Adopts the AWS CLI's token for the session when it is valid and the session has none; returns whether it did. */
  importSignIn(session: SsoSessionSettings): Promise<boolean> {
    return this.imports.run(session.name, async () => {
      if (this.disposed || this.loggedOut.has(session.name)) return false;
      if (!(await this.cacheDirectoryUsable())) return false;
      const entry = await readAwsSsoCacheFile(this.options.homeDir, session.name);
      if (entry === undefined || this.refused.has(digest(entry.accessToken))) return false;
      const signIn = signInFromAwsSsoCache(entry, session, this.options.clock.nowMs());
      if (signIn === undefined) return false;
      const adopted = await this.options.engine.adopt(session, signIn);
      if (adopted) {
        this.held.set(session.name, digest(signIn.tokens.accessToken));
        this.watchCacheDirectory();
        this.options.logger.info('Signed in with the AWS CLI sign-in found in its SSO cache', {
          session: session.name,
          refreshable: signIn.tokens.refreshToken !== undefined,
        });
      }
      return adopted;
    });
  }

  /** SignInPeer: the file's sign-in for the session, when it is one Latchkey may take. */
  async read(session: SsoSessionSettings): Promise<ImportedSignIn | undefined> {
    try {
      if (this.disposed || this.loggedOut.has(session.name)) return undefined;
      if (!(await this.cacheDirectoryUsable())) return undefined;
      const entry = await readAwsSsoCacheFile(this.options.homeDir, session.name);
      if (entry === undefined || this.refused.has(digest(entry.accessToken))) return undefined;
      return signInFromAwsSsoCache(entry, session, this.options.clock.nowMs());
    } catch (error) {
      this.warn('Could not read the AWS CLI SSO cache', session.name, error);
      return undefined;
    }
  }

  /** SignInPeer: writes the renewed tokens to the file, now, whatever the sync setting (the file holds the spent refresh token). */
  write(session: SsoSessionSettings, tokens: StoredTokens, registration: StoredRegistration): Promise<void> {
    return this.enqueue(session.name, async () => {
      const entry = awsSsoCacheEntryFor(session, tokens, registration, this.options.clock.nowMs());
      if (entry === undefined || !(await this.cacheDirectoryUsable())) return;
      this.held.set(session.name, digest(tokens.accessToken));
      const filePath = await writeAwsSsoCacheFile(this.options.homeDir, session.name, entry);
      this.options.logger.info('Handed the renewed sign-in to the AWS CLI SSO cache it was shared with', { session: session.name, filePath });
      this.watchCacheDirectory();
    });
  }

  /** Resolves once every file write asked for so far for the session has finished (or failed and been logged). */
  async settled(name: string): Promise<void> {
    await this.queues.get(name);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.listener.dispose();
    this.cacheWatch?.dispose();
    // Let a write in progress finish: its temporary file would otherwise be left behind.
    await Promise.all([...this.queues.values()]);
  }

  private onSessionEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'signed-in':
        // Adoption is off while logged out, so this is a person signing in through Latchkey.
        this.loggedOut.delete(event.session);
        void this.enqueue(event.session, () => this.exportSession(event.session));
        return;
      case 'refreshed':
        void this.enqueue(event.session, () => this.exportSession(event.session));
        return;
      case 'signed-out': {
        // Synchronously, before the caller that saw signed_out asks for an import.
        const logged = this.held.get(event.session);
        this.held.delete(event.session);
        if (logged !== undefined) this.refused.add(logged);
        if (event.reason === 'logout') {
          this.loggedOut.add(event.session);
          void this.enqueue(event.session, () => this.removeExport(event.session, logged));
        }
        return;
      }
      default:
        return;
    }
  }

  private async exportSession(name: string): Promise<void> {
    const exportable = await this.options.engine.exportableSession(name);
    if (exportable === undefined) return;
    this.held.set(name, digest(exportable.tokens.accessToken));
    const session = (await this.options.sessions()).get(name);
    if (session === undefined || !session.syncAwsCache) return;
    const entry = awsSsoCacheEntryFor(session, exportable.tokens, exportable.registration, this.options.clock.nowMs());
    if (entry === undefined || !(await this.cacheDirectoryUsable())) return;
    const current = await readAwsSsoCacheFile(this.options.homeDir, name);
    // Already there (just imported from it, or exported at an earlier start): leave the file as it is.
    if (current?.accessToken === entry.accessToken) return;
    // A valid token there that outlives ours came from the AWS CLI or an SDK refreshing
    // while the agent was down; overwriting it would bring back a refresh token that the
    // refresh rotated away. If ours is rejected, that token is imported.
    const nowMs = this.options.clock.nowMs();
    if (current !== undefined && isImportable(current, session, nowMs) && current.expiresAtMs > entry.expiresAtMs) return;
    const filePath = await writeAwsSsoCacheFile(this.options.homeDir, name, entry);
    this.options.logger.info('Wrote the session token to the AWS CLI SSO cache', { session: name, filePath });
    this.watchCacheDirectory();
  }

  private watchCacheDirectory(): void {
    if (this.cacheWatch !== undefined || this.disposed) return;
    const directory = dirname(awsSsoCacheFilePath(this.options.homeDir, 'any'));
    this.cacheWatch = watchDirectory(directory, (name) => this.onCacheEntryChanged(name), this.options.logger);
  }

  /** A shared sign-in's file that is gone may have gone with `aws sso logout`: ask AWS. */
  private onCacheEntryChanged(name: string | undefined): void {
    for (const session of this.held.keys()) {
      if (name !== undefined && name !== basename(awsSsoCacheFilePath(this.options.homeDir, session))) continue;
      // Not in the session's file queue: the refresh it may cause writes through that queue.
      void this.verifyIfRemoved(session);
    }
  }

  private async verifyIfRemoved(name: string): Promise<void> {
    try {
      await this.settled(name);
      if (this.disposed || !this.held.has(name) || (await cacheFileExists(awsSsoCacheFilePath(this.options.homeDir, name)))) return;
      const session = (await this.options.sessions()).get(name);
      if (session === undefined) return;
      this.options.logger.info('The AWS CLI SSO cache file of a shared sign-in was removed; checking the sign-in with AWS', { session: name });
      await this.options.engine.verify(session);
    } catch (error) {
      this.warn('Could not check the sign-in after its AWS CLI SSO cache file was removed', name, error);
    }
  }

  private async removeExport(name: string, loggedOutDigest: string | undefined): Promise<void> {
    if (loggedOutDigest === undefined || !(await this.cacheDirectoryUsable())) return;
    const current = await readAwsSsoCacheFile(this.options.homeDir, name);
    if (current === undefined || digest(current.accessToken) !== loggedOutDigest) return;
    const filePath = awsSsoCacheFilePath(this.options.homeDir, name);
    await rm(filePath, { force: true });
    this.options.logger.info('Removed the logged-out token from the AWS CLI SSO cache', { session: name, filePath });
  }

  /** Whether the cache directory may be used now (tightened if it had to be); warns once per refusal. */
  private async cacheDirectoryUsable(): Promise<boolean> {
    try {
      await secureAwsSsoCacheDirectory(this.options.homeDir);
      this.warnedRefusal = undefined;
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.warnedRefusal !== message) {
        this.warnedRefusal = message;
        this.options.logger.warn('Not syncing with the AWS CLI SSO cache', { message });
      }
      return false;
    }
  }

  private enqueue(name: string, work: () => Promise<void>): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.warn('Could not update the AWS CLI SSO cache', name, error))
      .finally(() => {
        if (this.queues.get(name) === next) this.queues.delete(name);
      });
    this.queues.set(name, next);
    return next;
  }

  private warn(message: string, session: string, error: unknown): void {
    // Messages name files and codes, never tokens (LatchkeyError messages are written that way).
    this.options.logger.warn(message, { session, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Only a file that is gone counts: one being rewritten may read as no entry for a moment. */
async function cacheFileExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
