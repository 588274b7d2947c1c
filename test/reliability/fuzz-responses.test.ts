import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../main/aws/aws-service-error';
import { validateResponse, type ResponseShapes } from '../../main/aws/response-validation';
import { isPrintable } from '../../main/core/printable-text';
import { CaseCounter, FUZZ_RUNS, SECRET, anyJson, expectOneSentence, fuzzTimeout, hostileText, mutationsOf, stringsIn, textWithSecret, type JsonRecord } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-responses');
afterAll(() => counter.record());

type Operation = Exclude<keyof ResponseShapes, 'Logout'>;

/**
 * What a field must hold once accepted: `s` a non-empty string, `t` a token (visible ASCII, as
 * it goes into HTTP headers), `n` a finite number; `?` optional; `show` text only shown to
 * people (cleaned, never refused).
 */
type Kind = 's' | 's?' | 't' | 't?' | 'n' | 'n?' | 'show?';
interface Shape {
  [field: string]: Kind | Shape | [Shape];
}

const SHAPES: Record<Operation, Shape> = {
  RegisterClient: { clientId: 't', clientSecret: 't', clientIdIssuedAt: 'n', clientSecretExpiresAt: 'n' },
  StartDeviceAuthorization: { deviceCode: 't', userCode: 's', verificationUri: 's', verificationUriComplete: 's', expiresIn: 'n', interval: 'n?' },
  CreateToken: { accessToken: 't', tokenType: 's?', expiresIn: 'n', refreshToken: 't?' },
  ListAccounts: { accountList: [{ accountId: 's', accountName: 'show?', emailAddress: 'show?' }], nextToken: 's?' },
  ListAccountRoles: { roleList: [{ accountId: 's', roleName: 's' }], nextToken: 's?' },
  GetRoleCredentials: { roleCredentials: { accessKeyId: 't', secretAccessKey: 't', sessionToken: 't', expiration: 'n' } },
  GetSigninToken: { SigninToken: 's' },
};

const VALID: Record<Operation, JsonRecord> = {
  RegisterClient: { clientId: 'cid-AbC_123', clientSecret: 'eyJraWQiOiJrZXktMTU2', clientIdIssuedAt: 1_700_000_000, clientSecretExpiresAt: 1_707_776_000 },
  StartDeviceAuthorization: {
    deviceCode: 'dc-1234',
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
    verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT',
    expiresIn: 600,
    interval: 1,
  },
  CreateToken: { accessToken: 'aoaAAAAAGh0dHBz', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'aorAAAAAGh0' },
  ListAccounts: { accountList: [{ accountId: '111111111111', accountName: 'Dev', emailAddress: 'dev@example.com' }, { accountId: '222222222222', accountName: 'Prod' }], nextToken: 'page-2' },
  ListAccountRoles: { roleList: [{ accountId: '111111111111', roleName: 'Developer' }, { accountId: '111111111111', roleName: 'Admin+Ops=@-_.,' }], nextToken: 'page-2' },
  GetRoleCredentials: { roleCredentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG', sessionToken: 'IQoJb3JpZ2luX2Vj', expiration: 1_700_000_000_000 } },
  GetSigninToken: { SigninToken: 'VCQgrN3Va9W3aQ-_~' },
};

const OPERATIONS = Object.keys(SHAPES) as Operation[];

function validate(operation: Operation, bodyText: string): { value: unknown } | { error: AwsServiceError } {
  try {
    return { value: validateResponse(operation, bodyText, { operation, httpStatus: 200, requestId: 'rid' }) };
  } catch (error) {
    // Anything but the validator's own error (a TypeError from a missing check) fails the property here.
    expect(error, `${operation} threw ${String(error)}`).toBeInstanceOf(AwsServiceError);
    const failure = error as AwsServiceError;
    expect(failure.code).toBe('malformed_response');
    expectOneSentence(failure.message, `${operation} error`);
    expect(failure.message.startsWith(operation), failure.message).toBe(true);
    return { error: failure };
  }
}

/** An accepted value holds exactly its shape's fields, each of its type; every string in it is printable. */
function expectShape(value: unknown, shape: Shape, path: string): void {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), `${path} is an object`).toBe(true);
  const record = value as JsonRecord;
  for (const key of Object.keys(record)) expect(Object.keys(shape), `${path}: no unknown field ${key}`).toContain(key);
  for (const [field, kind] of Object.entries(shape)) {
    const v = record[field];
    const at = `${path}${field}`;
    if (Array.isArray(kind)) {
      expect(Array.isArray(v), `${at} is a list`).toBe(true);
      (v as unknown[]).forEach((item, i) => expectShape(item, kind[0], `${at}[${i}].`));
    } else if (typeof kind === 'object') {
      expectShape(v, kind, `${at}.`);
    } else {
      if (kind.endsWith('?') && v === undefined) continue;
      if (kind.startsWith('n')) expect(Number.isFinite(v), `${at} is a finite number: ${String(v)}`).toBe(true);
      else {
        expect(typeof v, `${at} is a string`).toBe('string');
        if (kind !== 'show?') expect((v as string).length, `${at} is not empty`).toBeGreaterThan(0);
        if (kind.startsWith('t')) expect(v, `${at} is visible ASCII`).toMatch(/^[\x21-\x7e]+$/);
      }
    }
  }
  for (const text of stringsIn(value)) expect(isPrintable(text), `printable: ${JSON.stringify(text).slice(0, 80)}`).toBe(true);
}

/** The kind at a mutation's dotted path (`accountList.0.accountId`), or undefined for a list item or an unknown path. */
function kindAt(shape: Shape, path: string): Kind | 'object' | 'list' | 'item' | undefined {
  let here: Shape | Kind | [Shape] = shape;
  const parts = path.split('.');
  for (const [i, part] of parts.entries()) {
    if (Array.isArray(here)) {
      if (!/^\d+$/.test(part)) return undefined;
      if (i === parts.length - 1) return 'item';
      here = here[0];
      continue;
    }
    if (typeof here !== 'object') return undefined;
    const next: Shape | Kind | [Shape] | undefined = here[part];
    if (next === undefined) return undefined;
    here = next;
  }
  return Array.isArray(here) ? 'list' : typeof here === 'object' ? 'object' : here;
}

const anyBody = fc.oneof(
  anyJson().map((v) => JSON.stringify(v) ?? ''),
  hostileText(60),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', 'null', '[]', '{}', '"x"', '1e400', '{"a":', '\uFEFF{}'),
);

describe('the IAM Identity Center response validators under random input', () => {
  it('keeps a valid answer of every operation as it is', () => {
    for (const operation of OPERATIONS) {
      const result = validate(operation, JSON.stringify(VALID[operation]));
      expect(result, operation).toEqual({ value: VALID[operation] });
    }
  });

  it('answers any body of any operation with a typed value or its own malformed_response error', () => {
    fc.assert(fc.property(fc.constantFrom(...OPERATIONS), anyBody, counter.count('any body', (operation, body) => {
      const result = validate(operation, body);
      if ('value' in result) expectShape(result.value, SHAPES[operation], `${operation}: `);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(5));

  it('refuses a near-valid answer whose needed field broke or holds a control character, and keeps the types of what it accepts', () => {
    const mutation = fc.constantFrom(...OPERATIONS).chain((operation) => mutationsOf(VALID[operation]).map((m) => ({ operation, ...m })));
    fc.assert(fc.property(mutation, counter.count('near-valid mutation', ({ operation, value, description, broke }) => {
      const result = validate(operation, JSON.stringify(value));
      if ('value' in result) expectShape(result.value, SHAPES[operation], `${operation} after ${description}: `);
      if (broke === undefined) {
        if (description.startsWith('extra field')) expect(result, `${operation} after ${description}`).toHaveProperty('value');
        return;
      }
      const kind = kindAt(SHAPES[operation], broke);
      const what = `${operation} after ${description}`;
      if (description.startsWith('control character')) {
        // What is only shown is cleaned; everything else reaches a header, the config, the vault or a URL.
        if (kind !== 'show?') expect(result, what).toHaveProperty('error');
        return;
      }
      if (kind === 's' || kind === 't' || kind === 'n' || kind === 'object' || kind === 'list') expect(result, what).toHaveProperty('error');
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('refuses a token an HTTP header cannot carry, and takes an empty refresh token for none (it replaced the working one)', () => {
    for (const accessToken of ['tok\u00e9n', 'tok en', 'tok\u4e00', 'tok\r\nX-Injected: 1']) {
      expect(validate('CreateToken', JSON.stringify({ ...VALID.CreateToken, accessToken })), accessToken).toHaveProperty('error');
    }
    expect(validate('GetRoleCredentials', JSON.stringify({ roleCredentials: { ...VALID.GetRoleCredentials['roleCredentials'] as JsonRecord, sessionToken: 'IQo\u00a0Jb' } }))).toHaveProperty('error');
    expect(validate('CreateToken', JSON.stringify({ ...VALID.CreateToken, refreshToken: '' }))).toEqual({ value: { ...VALID.CreateToken, refreshToken: undefined } });
  });

  it('never echoes a field value in its error, and keeps the types of what it accepts with hostile text in one field', () => {
    const field = fc.constantFrom(...OPERATIONS).chain((operation) =>
      fc.tuple(fc.constant(operation), fc.constantFrom(...Object.keys(VALID[operation])), textWithSecret()),
    );
    fc.assert(fc.property(field, counter.count('hostile field', ([operation, name, text]) => {
      const result = validate(operation, JSON.stringify({ ...VALID[operation], [name]: text }));
      if ('error' in result) expect(result.error.message).not.toContain(SECRET);
      else expectShape(result.value, SHAPES[operation], `${operation} with ${name} hostile: `);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(5));
});
