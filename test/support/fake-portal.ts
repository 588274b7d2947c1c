import { LatchkeyError, type LatchkeyErrorCode } from '../../main/core/errors';
import type { AccountInfo, PortalApi, RoleCredentials, RoleInfo } from '../../main/core/identity-center-api';

/** A PortalApi with a fixed directory; `failNext` makes the next calls throw a given code. */
export class FakePortal implements PortalApi {
  readonly calls: { operation: string; accessToken: string }[] = [];
  readonly failures: LatchkeyErrorCode[] = [];
  private issued = 0;

  constructor(
    private readonly now: () => number,
    private readonly accounts: { accountId: string; roles: string[] }[] = [{ accountId: '111111111111', roles: ['Developer', 'ReadOnly'] }],
    private readonly credentialsTtlMs = 60 * 60 * 1000,
  ) {}

  failNext(...codes: LatchkeyErrorCode[]): void {
    this.failures.push(...codes);
  }

  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  async listAccounts(accessToken: string): Promise<AccountInfo[]> {
    this.record('ListAccounts', accessToken);
    return this.accounts.map(({ accountId }) => ({ accountId, accountName: `Account ${accountId}` }));
  }

  async listAccountRoles(accessToken: string, accountId: string): Promise<RoleInfo[]> {
    this.record('ListAccountRoles', accessToken);
    const account = this.accounts.find((a) => a.accountId === accountId);
    return (account?.roles ?? []).map((roleName) => ({ accountId, roleName }));
  }

  async getRoleCredentials(accessToken: string, accountId: string, roleName: string): Promise<RoleCredentials> {
    this.record('GetRoleCredentials', accessToken);
    this.issued += 1;
    return {
      accessKeyId: `ASIA${accountId}${roleName}${this.issued}`,
      secretAccessKey: `secret-${this.issued}`,
      sessionToken: `session-${this.issued}`,
      expiration: this.now() + this.credentialsTtlMs,
    };
  }

  async logout(accessToken: string): Promise<void> {
    this.record('Logout', accessToken);
  }

  private record(operation: string, accessToken: string): void {
    this.calls.push({ operation, accessToken });
    const failure = this.failures.shift();
    if (failure) throw new LatchkeyError(failure, `fake ${failure}`, { retryable: failure === 'throttled' || failure === 'network_error' });
  }
}
