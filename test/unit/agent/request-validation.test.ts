import { describe, expect, it } from 'vitest';
import {
  credentialTargetFromBody,
  credentialTargetFromQuery,
  querySeconds,
  validAccountId,
  validRoleName,
  validSessionName,
} from '../../../main/agent/request-validation';

describe('request validation', () => {
  it.each([
    ['a plain name', 'corp', true],
    ['a name with spaces and colons', 'my corp:eu', true],
    ['an empty name', '', false],
    ['a name with a newline', 'a\nb', false],
    ['a name with an escape sequence', 'corp\x1b[2J', false],
    ['a name with a C1 control', 'corp\u009b2J', false],
    ['a name with a bidi override', 'corp\u202E', false],
    ['a name of 129 characters', 'x'.repeat(129), false],
    ['a number', 7, false],
  ])('session names: %s', (_name, value, valid) => {
    if (valid) expect(validSessionName(value)).toBe(value);
    else expect(() => validSessionName(value)).toThrow();
  });

  it.each([
    ['111111111111', true],
    ['11111111111', false],
    ['11111111111a', false],
    ['111111111111\n', false],
    ['１１１１１１１１１１１１', false],
  ])('account id %j', (value, valid) => {
    if (valid) expect(validAccountId(value)).toBe(value);
    else expect(() => validAccountId(value)).toThrow('12 digits');
  });

  it.each([
    ['Developer', true],
    ['AWSReservedSSO_Admin+=,.@-', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['a/b', false],
    ['a b', false],
    ['R\n[profile evil]\ncredential_process = touch /tmp/pwned', false],
    ['Développeur', false],
  ])('role name %j', (value, valid) => {
    if (valid) expect(validRoleName(value)).toBe(value);
    else expect(() => validRoleName(value)).toThrow();
  });

  it('reads a target from the query or a body', () => {
    expect(credentialTargetFromQuery(new URLSearchParams('profile=dev'))).toEqual({ profile: 'dev' });
    expect(credentialTargetFromBody({ session: 's', accountId: '111111111111', roleName: 'R' })).toEqual({
      session: 's',
      accountId: '111111111111',
      roleName: 'R',
    });
    expect(() => credentialTargetFromBody({ session: 's', accountId: '111111111111' })).toThrow('Name either a profile');
    expect(() => credentialTargetFromBody({ profile: 'dev', extra: 1 })).toThrow('unknown field "extra"');
    expect(() => credentialTargetFromBody({ profile: 'dev', 'x\x1b[2J': 1 })).toThrow('unknown field "x\uFFFD[2J"');
    expect(() => credentialTargetFromBody(null)).toThrow('JSON object');
  });

  it.each([
    ['', 5],
    ['n=0', 0],
    ['n=600', 600],
  ])('seconds %s', (query, expected) => {
    expect(querySeconds(new URLSearchParams(query), 'n', 600, 5)).toBe(expected);
  });

  it.each(['n=601', 'n=-1', 'n=1.5', 'n=abc', 'n='])('refuses seconds %s', (query) => {
    expect(() => querySeconds(new URLSearchParams(query), 'n', 600, 5)).toThrow('whole number of seconds');
  });
});
