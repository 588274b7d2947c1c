import { GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
import { describe, expect, it } from 'vitest';
import { adminJson, adminOk, emulatorForTest, oidcClient, signInWithDeviceCode, ssoClient } from './harness';

// The emulator's stand-in for https://signin.aws.amazon.com/federation: getSigninToken takes
// the Session JSON of role credentials the portal issued (fetched here with the AWS SDK),
// and login sends the browser on to the destination.

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

async function withRoleCredentials(): Promise<{ baseUrl: string; credentials: Credentials }> {
  const emulator = await emulatorForTest({ autoApprove: true });
  const { accessToken } = await signInWithDeviceCode(oidcClient(emulator.baseUrl));
  const out = await ssoClient(emulator.baseUrl).send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'ReadOnly' }));
  const role = out.roleCredentials;
  return {
    baseUrl: emulator.baseUrl,
    credentials: { accessKeyId: role?.accessKeyId ?? '', secretAccessKey: role?.secretAccessKey ?? '', sessionToken: role?.sessionToken ?? '' },
  };
}

function sessionOf(credentials: Credentials): string {
  return JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
}

async function getSigninToken(baseUrl: string, params: Record<string, string>): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${baseUrl}/federation?${new URLSearchParams({ Action: 'getSigninToken', ...params })}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function signinToken(baseUrl: string, credentials: Credentials): Promise<string> {
  const answer = await getSigninToken(baseUrl, { Session: sessionOf(credentials) });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.text) as { SigninToken: string }).SigninToken;
}

async function login(baseUrl: string, params: Record<string, string>): Promise<{ status: number; location: string | null }> {
  const response = await fetch(`${baseUrl}/federation?${new URLSearchParams({ Action: 'login', ...params })}`, { redirect: 'manual' });
  await response.text();
  return { status: response.status, location: response.headers.get('location') };
}

const DESTINATION = 'https://console.aws.amazon.com/s3/home?region=eu-west-1';

describe('the federation endpoint', () => {
  it('issues a sign-in token for live role credentials, and login redirects to the destination and records who signed in', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    const answer = await getSigninToken(baseUrl, { Session: sessionOf(credentials), SessionDuration: '3600' });
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/json');
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['SigninToken']);

    expect(await login(baseUrl, { Issuer: 'Latchkey', Destination: DESTINATION, SigninToken: String(body['SigninToken']) })).toEqual({ status: 302, location: DESTINATION });
    expect(await adminJson(baseUrl, 'console-logins')).toEqual({
      logins: [{ accountId: '222222222222', roleName: 'ReadOnly', destination: DESTINATION, issuer: 'Latchkey', sessionDurationSeconds: 3600 }],
    });
    expect(await adminJson(baseUrl, 'calls')).toMatchObject({ GetSigninToken: 1, ConsoleLogin: 1 });
  });

  it('gives the console session the credentials remaining lifetime when no SessionDuration is asked for', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    await adminOk(baseUrl, 'clock', { advanceSeconds: 600 });
    await login(baseUrl, { Destination: DESTINATION, SigninToken: await signinToken(baseUrl, credentials) });
    const { logins } = await adminJson<{ logins: { sessionDurationSeconds: number; issuer: string | null }[] }>(baseUrl, 'console-logins');
    expect(logins[0]?.sessionDurationSeconds).toBeGreaterThan(2990);
    expect(logins[0]?.sessionDurationSeconds).toBeLessThanOrEqual(3000);
    expect(logins[0]?.issuer).toBeNull();
  });

  it.each([
    ['a wrong secret key', (c: Credentials) => ({ Session: sessionOf({ ...c, secretAccessKey: `${c.secretAccessKey}x` }) }), /not valid/],
    ['a wrong session token', (c: Credentials) => ({ Session: sessionOf({ ...c, sessionToken: 'IQoJforged' }) }), /not valid/],
    ['an access key it never issued', (c: Credentials) => ({ Session: sessionOf({ ...c, accessKeyId: 'ASIAEMUL999999999999' }) }), /not valid/],
    ['a Session that is not JSON', () => ({ Session: '{sessionId:' }), /not valid JSON/],
    ['a Session without sessionToken', (c: Credentials) => ({ Session: JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey }) }), /sessionToken/],
    ['no Session', () => ({}), /Session is required/],
    ['a SessionDuration under 15 minutes', (c: Credentials) => ({ Session: sessionOf(c), SessionDuration: '899' }), /SessionDuration/],
    ['a SessionDuration over 12 hours', (c: Credentials) => ({ Session: sessionOf(c), SessionDuration: '43201' }), /SessionDuration/],
  ])('refuses %s with a bare 400 and a line of text', async (_name, params, message) => {
    const { baseUrl, credentials } = await withRoleCredentials();
    const answer = await getSigninToken(baseUrl, params(credentials));
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('text/plain; charset=utf-8');
    expect(answer.text).toMatch(message);
  });

  it('refuses credentials that have expired', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    await adminOk(baseUrl, 'clock', { advanceSeconds: 3600 });
    const answer = await getSigninToken(baseUrl, { Session: sessionOf(credentials) });
    expect(answer).toMatchObject({ status: 400, text: 'The session credentials have expired.' });
  });

  it('refuses a login with a sign-in token older than 15 minutes, unknown, or without an https destination, and records none', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    const token = await signinToken(baseUrl, credentials);
    expect((await login(baseUrl, { Destination: 'http://console.aws.amazon.com/', SigninToken: token })).status).toBe(400);
    expect((await login(baseUrl, { Destination: DESTINATION, SigninToken: 'forged' })).status).toBe(400);
    expect((await login(baseUrl, { SigninToken: token })).status).toBe(400);
    await adminOk(baseUrl, 'clock', { advanceSeconds: 15 * 60 });
    expect((await login(baseUrl, { Destination: DESTINATION, SigninToken: token })).status).toBe(400);
    expect(await adminJson(baseUrl, 'console-logins')).toEqual({ logins: [] });
  });

  it('answers an unknown Action with a 400', async () => {
    const { baseUrl } = await withRoleCredentials();
    const response = await fetch(`${baseUrl}/federation?Action=getFederationToken`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Action must be getSigninToken or login.');
  });

  it('takes injected faults and throttling as text answers, and reset forgets the logins', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    await adminOk(baseUrl, 'faults', { operation: 'GetSigninToken', count: 1, status: 503 });
    expect(await getSigninToken(baseUrl, { Session: sessionOf(credentials) })).toMatchObject({ status: 503, type: 'text/plain; charset=utf-8' });
    const token = await signinToken(baseUrl, credentials);
    await adminOk(baseUrl, 'throttle', { operation: 'ConsoleLogin', perSecond: 0 });
    expect((await login(baseUrl, { Destination: DESTINATION, SigninToken: token })).status).toBe(429);
    await adminOk(baseUrl, 'throttle', { operation: 'ConsoleLogin', perSecond: null });
    expect((await login(baseUrl, { Destination: DESTINATION, SigninToken: token })).status).toBe(302);
    await adminOk(baseUrl, 'reset', {});
    expect(await adminJson(baseUrl, 'console-logins')).toEqual({ logins: [] });
  });

  it('never lists the secret half of issued credentials', async () => {
    const { baseUrl, credentials } = await withRoleCredentials();
    const listed = JSON.stringify(await adminJson(baseUrl, 'issued-credentials'));
    expect(listed).toContain(credentials.accessKeyId);
    expect(listed).not.toContain(credentials.secretAccessKey);
    expect(listed).not.toContain(credentials.sessionToken);
  });
});
