import { accountDisplayText, isAccountId, isRoleName } from '../core/aws-identifiers';
import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';
import { isPrintable } from '../core/printable-text';

/** The typed answers of docs/agent-api.md, checked field by field: nothing from the socket is trusted as-is. */
export interface AgentCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** RFC 3339 UTC. */
  Expiration: string;
  AccountId?: string;
}

export type AgentSessionState = 'signed-in' | 'signing-in' | 'signed-out';

export interface AgentSessionStatus {
  name: string;
  startUrl: string;
  region: string;
  state: AgentSessionState;
  accessTokenExpiresAt?: string;
  refreshable?: boolean;
  signedOut?: { reason: 'ended-by-aws' | 'expired' | 'logged-out'; at: string };
}

export interface AgentStatus {
  version: string;
  pid: number;
  interactive: boolean;
  configFile: string;
  configFileMissing: boolean;
  problems: string[];
  configWarnings: string[];
  sessions: AgentSessionStatus[];
  /** Absent from an agent older than the CLI, or one given its own store. */
  store?: AgentStoreStatus;
}

export interface AgentStoreStatus {
  name: 'secret-service' | 'kernel-keyring';
  reason: string;
}

export interface AgentAccount {
  accountId: string;
  accountName: string;
  emailAddress?: string;
  roles: string[];
}

export interface ExecEndpoint {
  id: string;
  url: string;
  authorizationToken: string;
}

export interface SignInOutcome {
  state: string;
  accessTokenExpiresAt?: string;
  /** Absent from an older agent. */
  refreshable?: boolean;
}

export function readCredentials(body: unknown): AgentCredentials {
  const o = record(body, 'credentials');
  const credentials: AgentCredentials = {
    AccessKeyId: text(o, 'AccessKeyId'),
    SecretAccessKey: text(o, 'SecretAccessKey'),
    SessionToken: text(o, 'SessionToken'),
    Expiration: text(o, 'Expiration'),
  };
  const accountId = optionalText(o, 'AccountId');
  return accountId === undefined ? credentials : { ...credentials, AccountId: accountId };
}

export function readStatus(body: unknown): AgentStatus {
  const o = record(body, 'status');
  return {
    version: text(o, 'version'),
    pid: integer(o, 'pid'),
    interactive: o['interactive'] === true,
    configFile: optionalText(o, 'configFile') ?? '',
    configFileMissing: o['configFileMissing'] === true,
    problems: list(o, 'problems').map((p) => (typeof p === 'string' ? p : malformed('problems'))),
    // Absent from an agent older than the CLI: no warnings then, rather than a failed status.
    configWarnings: list(o, 'configWarnings').map((w) => (typeof w === 'string' ? w : malformed('configWarnings'))),
    sessions: list(o, 'sessions').map(readSessionStatus),
    ...(o['store'] === undefined ? {} : { store: readStoreStatus(o['store']) }),
  };
}

function readStoreStatus(value: unknown): AgentStoreStatus {
  const o = record(value, 'store');
  const name = text(o, 'name');
  if (name !== 'secret-service' && name !== 'kernel-keyring') return malformed('store.name');
  return { name, reason: text(o, 'reason') };
}

function readSessionStatus(value: unknown): AgentSessionStatus {
  const o = record(value, 'session');
  const state = text(o, 'state');
  if (state !== 'signed-in' && state !== 'signing-in' && state !== 'signed-out') return malformed('state');
  const session: AgentSessionStatus = { name: text(o, 'name'), startUrl: text(o, 'startUrl'), region: text(o, 'region'), state };
  const expiresAt = optionalText(o, 'accessTokenExpiresAt');
  if (expiresAt !== undefined) session.accessTokenExpiresAt = expiresAt;
  if (typeof o['refreshable'] === 'boolean') session.refreshable = o['refreshable'];
  // Absent from an older agent, or when it did not see the sign-out happen.
  if (o['signedOut'] !== undefined) {
    const signedOut = record(o['signedOut'], 'signedOut');
    const reason = text(signedOut, 'reason');
    if (reason !== 'ended-by-aws' && reason !== 'expired' && reason !== 'logged-out') return malformed('signedOut.reason');
    const at = text(signedOut, 'at');
    if (Number.isNaN(Date.parse(at))) return malformed('signedOut.at');
    session.signedOut = { reason, at };
  }
  return session;
}

/**
 * The AWS client's rules again (response-validation.ts): a fake or compromised agent is
 * one more source of hostile text, and these ids and names go into the AWS config.
 * Account names and email addresses are only shown, so they are cleaned, not refused.
 */
export function readAccounts(body: unknown): AgentAccount[] {
  return list(record(body, 'accounts'), 'accounts').map((value) => {
    const o = record(value, 'account');
    const accountId = text(o, 'accountId');
    const account: AgentAccount = {
      accountId: isAccountId(accountId) ? accountId : malformed('accountId'),
      accountName: accountDisplayText(optionalText(o, 'accountName') ?? ''),
      roles: list(o, 'roles').map((r) => (isRoleName(r) ? r : malformed('roles'))),
    };
    const email = optionalText(o, 'emailAddress');
    return email === undefined ? account : { ...account, emailAddress: accountDisplayText(email) };
  });
}

/** A session signed out here whose token AWS was not told of, so it stays valid there until then. */
export interface AwsNotTold {
  session: string;
  code: string;
  tokenValidUntilMs: number;
}

const ERROR_CODE = /^[a-z_]{1,64}$/;

/** The sign-out routes' answer: nothing (204) when AWS was told of every sign-out. */
export function readSignOut(body: unknown): AwsNotTold[] {
  if (body === undefined) return [];
  return list(record(body, 'sign-out'), 'awsNotTold').map((value) => {
    const o = record(value, 'awsNotTold');
    const session = text(o, 'session');
    const code = text(o, 'code');
    const tokenValidUntilMs = Date.parse(text(o, 'tokenValidUntil'));
    if (!isPrintable(session) || session.length > 128) return malformed('awsNotTold.session');
    if (!ERROR_CODE.test(code)) return malformed('awsNotTold.code');
    if (Number.isNaN(tokenValidUntilMs)) return malformed('awsNotTold.tokenValidUntil');
    return { session, code, tokenValidUntilMs };
  });
}

/** `POST /v1/console`'s answer (docs/agent-api.md); `url` only when asked for. */
export interface ConsoleAnswer {
  accountId: string;
  roleName: string;
  destination: string;
  url?: string;
}

/** Printed to a terminal as it is: one URL of visible ASCII, nothing a terminal acts on. */
const URL_TEXT = /^https?:\/\/[\x21-\x7e]{1,16000}$/;

export function readConsole(body: unknown): ConsoleAnswer {
  const o = record(body, 'console sign-in');
  const accountId = text(o, 'accountId');
  const roleName = text(o, 'roleName');
  const destination = text(o, 'destination');
  const url = optionalText(o, 'url');
  if (!isAccountId(accountId)) malformed('accountId');
  if (!isRoleName(roleName)) malformed('roleName');
  if (!URL_TEXT.test(destination)) malformed('destination');
  if (url !== undefined && !URL_TEXT.test(url)) malformed('url');
  return { accountId, roleName, destination, ...(url === undefined ? {} : { url }) };
}

export function readExecEndpoint(body: unknown): ExecEndpoint {
  const o = record(body, 'exec endpoint');
  return { id: text(o, 'id'), url: text(o, 'url'), authorizationToken: text(o, 'authorizationToken') };
}

export function readSignInOutcome(body: unknown): SignInOutcome {
  const o = record(body, 'sign-in');
  const outcome: SignInOutcome = { state: text(o, 'state') };
  const expiresAt = optionalText(o, 'accessTokenExpiresAt');
  if (expiresAt !== undefined) outcome.accessTokenExpiresAt = expiresAt;
  if (typeof o['refreshable'] === 'boolean') outcome.refreshable = o['refreshable'];
  return outcome;
}

/** For routes answered with 202 or 204 whose body the CLI does not need. */
export function ignoreBody(): void {}

function record(value: unknown, what: string): Record<string, unknown> {
  return isJsonObject(value) ? value : malformed(what);
}

function text(o: Record<string, unknown>, key: string): string {
  const value = o[key];
  return typeof value === 'string' ? value : malformed(key);
}

function optionalText(o: Record<string, unknown>, key: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : malformed(key);
}

function integer(o: Record<string, unknown>, key: string): number {
  const value = o[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : malformed(key);
}

function list(o: Record<string, unknown>, key: string): unknown[] {
  const value = o[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as unknown[]) : malformed(key);
}

function malformed(what: string): never {
  throw new LatchkeyError('malformed_response', `The Latchkey agent sent an answer without a valid "${what}".`);
}
