import { ACCOUNT_ID_RULE, ROLE_NAME_RULE, isAccountId, isRegionCode, isRoleName } from '../core/aws-identifiers';
import type { SignInFlow } from '../core/client-registrar';
import { LatchkeyError } from '../core/errors';
import { isPrintable, printable } from '../core/printable-text';
import type { CredentialTargetWire, SignInRequest, SignInRequesterWire } from './agent-wire-types';

/**
 * Checks on everything a caller sends, with one clear 400 sentence each. Session and
 * profile names come from the user's AWS config, where almost anything is allowed, so
 * only their length and control characters are limited; account ids and role names
 * follow AWS's own rules (main/core/aws-identifiers.ts, shared with the AWS client).
 */
const MAX_NAME_LENGTH = 128;

export function validSessionName(value: unknown): string {
  if (isName(value)) return value;
  throw invalid('The session name must be 1 to 128 characters without control characters.');
}

export function validProfileName(value: unknown): string {
  if (isName(value)) return value;
  throw invalid('The profile name must be 1 to 128 characters without control characters.');
}

export function validAccountId(value: unknown): string {
  if (isAccountId(value)) return value;
  throw invalid(`The account id must be ${ACCOUNT_ID_RULE}.`);
}

export function validRoleName(value: unknown): string {
  if (isRoleName(value)) return value;
  throw invalid(`The role name must be ${ROLE_NAME_RULE}.`);
}

/** A whole number of seconds from the query, from 0 to `max`; `fallback` when absent. */
export function querySeconds(query: URLSearchParams, name: string, max: number, fallback: number): number {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > max) throw invalid(`${name} must be a whole number of seconds from 0 to ${max}.`);
  return Number(raw);
}

/** `?name=1` or `?name=true` is on; absent, `0` or `false` is off. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const raw = single(query, name);
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw invalid(`${name} must be 1 or 0.`);
}

/** `?profile=P` or `?session=S&accountId=ID&roleName=R`, never both. */
export function credentialTargetFromQuery(query: URLSearchParams): CredentialTargetWire {
  return credentialTarget({
    profile: single(query, 'profile'),
    session: single(query, 'session'),
    accountId: single(query, 'accountId'),
    accountName: single(query, 'accountName'),
    roleName: single(query, 'roleName'),
  });
}

export function credentialTargetFromBody(body: unknown): CredentialTargetWire {
  const fields = objectBody(body, ['profile', 'session', 'accountId', 'accountName', 'roleName']);
  return credentialTarget(fields);
}

/** The body of `POST /v1/console` (docs/agent-api.md). */
export interface ConsoleRequestWire {
  target: CredentialTargetWire;
  region?: string;
  destination?: string;
  /** True (the default): the agent opens the browser; false: the sign-in URL is answered instead. */
  open: boolean;
}

/** Longer than any console URL a person types; the URL is checked against the console's hosts in core. */
const MAX_DESTINATION_CHARS = 2048;

export function consoleRequestFromBody(body: unknown): ConsoleRequestWire {
  const fields = objectBody(body, ['profile', 'session', 'accountId', 'accountName', 'roleName', 'region', 'destination', 'open']);
  const request: ConsoleRequestWire = { target: credentialTarget(fields), open: true };
  if (fields.region !== undefined) {
    if (!isRegionCode(fields.region)) throw invalid('region must be an AWS region code such as eu-west-1.');
    request.region = fields.region;
  }
  if (fields.destination !== undefined) {
    const { destination } = fields;
    if (typeof destination !== 'string' || destination === '' || destination.length > MAX_DESTINATION_CHARS || !isPrintable(destination)) {
      throw invalid(`destination must be a service name or a URL of at most ${MAX_DESTINATION_CHARS} characters.`);
    }
    request.destination = destination;
  }
  if (fields.open !== undefined) {
    if (typeof fields.open !== 'boolean') throw invalid('open must be true or false.');
    request.open = fields.open;
  }
  return request;
}

export function signInRequest(body: unknown): SignInRequest {
  if (body === undefined) return {};
  const fields = objectBody(body, ['flow', 'openBrowser', 'requester']);
  const request: SignInRequest = {};
  if (fields.flow !== undefined) {
    if (fields.flow !== 'pkce' && fields.flow !== 'device-code') throw invalid('flow must be "pkce" or "device-code".');
    request.flow = fields.flow satisfies SignInFlow;
  }
  if (fields.openBrowser !== undefined) {
    if (typeof fields.openBrowser !== 'boolean') throw invalid('openBrowser must be true or false.');
    request.openBrowser = fields.openBrowser;
  }
  if (fields.requester !== undefined) request.requester = signInRequester(fields.requester);
  return request;
}

/** The command's name is shown to people in other terminals: short, printable. */
const MAX_REQUESTER_COMMAND_LENGTH = 64;

function signInRequester(value: unknown): SignInRequesterWire {
  const rule = 'requester must be {"command": 1 to 64 printable characters, "pid": a positive whole number}.';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(rule);
  const { command, pid } = objectBody(value, ['command', 'pid']);
  const commandOk = typeof command === 'string' && command.length > 0 && command.length <= MAX_REQUESTER_COMMAND_LENGTH && isPrintable(command);
  if (!commandOk || typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    throw invalid(rule);
  }
  return { command, pid };
}

function credentialTarget(fields: Record<string, unknown>): CredentialTargetWire {
  const { profile, session, accountId, accountName, roleName } = fields;
  const explicit = [session, accountId, accountName, roleName].some((value) => value !== undefined);
  if (profile !== undefined && !explicit) return { profile: validProfileName(profile) };
  if (profile === undefined && session !== undefined && roleName !== undefined && (accountId === undefined) !== (accountName === undefined)) {
    const role = { session: validSessionName(session), roleName: validRoleName(roleName) };
    return accountId !== undefined ? { ...role, accountId: validAccountId(accountId) } : { ...role, accountName: validAccountName(accountName) };
  }
  throw invalid('Name either a profile, or a session with an accountId (or an accountName) and a roleName.');
}

/** Matched against the listing's names, never written anywhere: printable and bounded is enough. */
function validAccountName(value: unknown): string {
  if (isName(value)) return value;
  throw invalid('The account name must be 1 to 128 characters without control characters.');
}

/** A JSON object with only the known keys; unknown keys are refused so a typo is not ignored. */
function objectBody(body: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object.');
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !keys.includes(key));
  if (unknown.length > 0) throw invalid(`The request body has an unknown field "${printable(unknown[0] ?? '', 40)}".`);
  return record;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH && isPrintable(value);
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw invalid(`${name} is given more than once.`);
  return values[0];
}

function invalid(message: string): LatchkeyError {
  return new LatchkeyError('invalid_request', message);
}
