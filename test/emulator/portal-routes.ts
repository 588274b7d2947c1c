import type { Account } from './directory';
import type { EmulatorState } from './emulator-state';
import type { RoleCredentials } from './role-credentials';
import { PortalError } from './wire-errors';

export interface ListAccountsResponse {
  accountList: { accountId: string; accountName: string; emailAddress: string }[];
  nextToken?: string;
}

export interface ListAccountRolesResponse {
  roleList: { roleName: string; accountId: string }[];
  nextToken?: string;
}

export function listAccounts(state: EmulatorState, query: URLSearchParams, bearer: string | undefined): ListAccountsResponse {
  state.tokens.requireSession(bearer);
  const page = state.pageTokens.page(state.directory.accounts(), 'accounts', query.get('next_token'), query.get('max_result'));
  const response: ListAccountsResponse = {
    accountList: page.items.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })),
  };
  if (page.nextToken !== undefined) response.nextToken = page.nextToken;
  return response;
}

export function listAccountRoles(state: EmulatorState, query: URLSearchParams, bearer: string | undefined): ListAccountRolesResponse {
  state.tokens.requireSession(bearer);
  const account = requireAccount(state, requiredParam(query, 'account_id'));
  const page = state.pageTokens.page(account.roles, `roles:${account.accountId}`, query.get('next_token'), query.get('max_result'));
  const response: ListAccountRolesResponse = {
    roleList: page.items.map((roleName) => ({ roleName, accountId: account.accountId })),
  };
  if (page.nextToken !== undefined) response.nextToken = page.nextToken;
  return response;
}

export function getRoleCredentials(state: EmulatorState, query: URLSearchParams, bearer: string | undefined): { roleCredentials: RoleCredentials } {
  state.tokens.requireSession(bearer);
  const roleName = requiredParam(query, 'role_name');
  const account = requireAccount(state, requiredParam(query, 'account_id'));
  // The portal answers an unassigned role with this unmodeled 403 and message.
  if (!account.roles.includes(roleName)) throw new PortalError('ForbiddenException', 'No access');
  return { roleCredentials: state.credentials.issue(account.accountId, roleName) };
}

export function logout(state: EmulatorState, bearer: string | undefined): void {
  state.tokens.logout(bearer);
}

function requiredParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw new PortalError('InvalidRequestException', `${name} is required.`);
  return value;
}

function requireAccount(state: EmulatorState, accountId: string): Account {
  if (!/^\d{12}$/.test(accountId)) throw new PortalError('InvalidRequestException', 'account_id must be 12 digits.');
  const account = state.directory.find(accountId);
  if (account === undefined) throw new PortalError('ResourceNotFoundException', `Account ${accountId} is not assigned to this user.`);
  return account;
}
