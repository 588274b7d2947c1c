import type { AccountInfo, PortalApi, RoleCredentials, RoleInfo } from '../core/identity-center-api';
import { AwsServiceError } from './aws-service-error';
import type { CallOptions, HttpTransport } from './http-transport';
import { BEARER_TOKEN_HEADER, type PortalOperation } from './wire-types';

/** The largest page the portal serves (`MaxResultType`: 1..100); fewer round trips. */
const PAGE_SIZE = 100;

/**
 * A guard against a server that never stops paging (a repeated or cycling token):
 * 1,000 pages of 100 is far beyond any real assignment list.
 */
const MAX_PAGES = 1000;

/**
 * The IAM Identity Center portal (the `sso` service): the signed-in user's accounts and
 * roles, role credentials, and logout. Every call carries the access token in the
 * `x-amz-sso_bearer_token` header. All of them are safe to repeat, so all are retried.
 */
export class PortalClient implements PortalApi {
  constructor(private readonly transport: HttpTransport) {}

  /** Every account assigned to the user, across all pages. */
  async listAccounts(accessToken: string, options: CallOptions = {}): Promise<AccountInfo[]> {
    return collectPages('ListAccounts', async (nextToken) => {
      const page = await this.transport.call({
        operation: 'ListAccounts',
        method: 'GET',
        path: 'assignment/accounts',
        query: { next_token: nextToken, max_result: PAGE_SIZE },
        headers: { [BEARER_TOKEN_HEADER]: accessToken },
        safety: 'repeatable',
        signal: options.signal,
      });
      return { items: page.accountList, nextToken: page.nextToken };
    });
  }

  /** Every role the user has in one account, across all pages. */
  async listAccountRoles(accessToken: string, accountId: string, options: CallOptions = {}): Promise<RoleInfo[]> {
    return collectPages('ListAccountRoles', async (nextToken) => {
      const page = await this.transport.call({
        operation: 'ListAccountRoles',
        method: 'GET',
        path: 'assignment/roles',
        query: { account_id: accountId, next_token: nextToken, max_result: PAGE_SIZE },
        headers: { [BEARER_TOKEN_HEADER]: accessToken },
        safety: 'repeatable',
        signal: options.signal,
      });
      return { items: page.roleList, nextToken: page.nextToken };
    });
  }

  /** Short-term credentials for one role; `expiration` is epoch milliseconds. */
  async getRoleCredentials(accessToken: string, accountId: string, roleName: string, options: CallOptions = {}): Promise<RoleCredentials> {
    const response = await this.transport.call({
      operation: 'GetRoleCredentials',
      method: 'GET',
      path: 'federation/credentials',
      query: { role_name: roleName, account_id: accountId },
      headers: { [BEARER_TOKEN_HEADER]: accessToken },
      safety: 'repeatable',
      signal: options.signal,
    });
    return response.roleCredentials;
  }

  /**
   * Ends the sign-in session on the server. A 401 means the token is already unusable,
   * which is what logging out wants (and what a retried logout whose first answer was
   * lost sees), so it counts as done.
   */
  async logout(accessToken: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.transport.call({
        operation: 'Logout',
        method: 'POST',
        path: 'logout',
        headers: { [BEARER_TOKEN_HEADER]: accessToken },
        safety: 'repeatable',
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof AwsServiceError && error.code === 'unauthorized') return;
      throw error;
    }
  }
}

interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

async function collectPages<T>(operation: PortalOperation, fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  for (let pageCount = 1; pageCount <= MAX_PAGES; pageCount += 1) {
    const page = await fetchPage(nextToken);
    items.push(...page.items);
    // An empty token ends the listing as surely as a missing one.
    if (page.nextToken === undefined || page.nextToken === '') return items;
    if (seenTokens.has(page.nextToken)) break;
    seenTokens.add(page.nextToken);
    nextToken = page.nextToken;
  }
  throw new AwsServiceError('malformed_response', `${operation} kept returning pages without end`, { operation });
}
