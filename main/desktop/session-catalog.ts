import type { AwsConfig, SsoSessionConfig } from '../core/aws-config';
import type { Logger } from '../core/logger';

/**
 * The `[sso-session]` sections as last read. SessionsController asks for them
 * synchronously on every call, so the file is read ahead: at start, when the window or
 * the tray's Refresh is used, when a second launch happens, and when a tool names a
 * session. An unreadable file keeps the last good list rather than emptying the tray.
 */
export class SessionCatalog {
  private sessions: readonly SsoSessionConfig[] = [];
  private reading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<AwsConfig>,
    private readonly logger: Logger,
  ) {}

  list(): readonly SsoSessionConfig[] {
    return this.sessions;
  }

  /** Concurrent callers share one read. */
  reload(): Promise<void> {
    this.reading ??= this.read()
      .then((config) => {
        this.sessions = [...config.ssoSessions.values()];
      })
      .catch((error: unknown) => {
        this.logger.warn('Could not read the AWS config', { message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
