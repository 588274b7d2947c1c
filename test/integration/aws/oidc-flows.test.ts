import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTHORIZATION_CODE_GRANT, DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT } from '../../../main/aws/wire-types';
import type { ClientRegistration } from '../../../main/core/identity-center-api';
import { EmulatorHarness } from './emulator-harness';

const START_URL = 'https://d-1234567890.awsapps.com/start';
const SCOPES = ['sso:account:access'];

let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof EmulatorHarness.start>[0] = {}): Promise<EmulatorHarness> {
  harness = await EmulatorHarness.start(options);
  return harness;
}

function credentialsOf(registration: ClientRegistration) {
  return { clientId: registration.clientId, clientSecret: registration.clientSecret };
}

function base64Url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

describe('device authorization flow against the emulator', () => {
  it('registers, waits while pending, and gets tokens once the user approves', async () => {
    const h = await start();
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    expect(registration.clientSecretExpiresAt).toBeGreaterThan(Date.now() / 1000 + 80 * 24 * 3600);
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    expect(device.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(device.verificationUriComplete).toContain(device.userCode);
    expect(device.interval).toBe(1);

    const redeem = { ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode } as const;
    await expect(h.oidc.createToken(redeem)).rejects.toMatchObject({ code: 'authorization_pending', retryable: true });
    await h.admin('POST', 'approve', { userCode: device.userCode });
    await h.advanceSeconds(device.interval);
    const tokens = await h.oidc.createToken(redeem);
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(tokens.accessToken).not.toBe('');
    expect(tokens.refreshToken).toEqual(expect.any(String));

    // A device code is good for one redemption.
    await h.advanceSeconds(device.interval);
    await expect(h.oidc.createToken(redeem)).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(await h.calls()).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 1, CreateToken: 3 });
  });

  it('answers slow_down to a poll faster than the interval', async () => {
    const h = await start();
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    const redeem = { ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode } as const;
    await expect(h.oidc.createToken(redeem)).rejects.toMatchObject({ code: 'authorization_pending' });
    await expect(h.oidc.createToken(redeem)).rejects.toMatchObject({ code: 'slow_down', retryable: true, awsErrorType: 'SlowDownException' });
  });

  it('reports access_denied when the user denies', async () => {
    const h = await start();
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    await h.admin('POST', 'deny', { userCode: device.userCode });
    await expect(h.oidc.createToken({ ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode })).rejects.toMatchObject({
      code: 'access_denied',
      retryable: false,
    });
  });

  it('reports expired_token once the device code outlives its lifetime', async () => {
    const h = await start();
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    await h.advanceSeconds(device.expiresIn + 1);
    await expect(h.oidc.createToken({ ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode })).rejects.toMatchObject({
      code: 'expired_token',
    });
  });

  it('rotates refresh tokens and rejects a spent one with invalid_grant', async () => {
    const h = await start({ autoApprove: true });
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    const first = await h.oidc.createToken({ ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
    const oldRefresh = first.refreshToken ?? '';
    const second = await h.oidc.createToken({ ...credentialsOf(registration), grantType: REFRESH_TOKEN_GRANT, refreshToken: oldRefresh });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(oldRefresh);
    await expect(h.oidc.createToken({ ...credentialsOf(registration), grantType: REFRESH_TOKEN_GRANT, refreshToken: oldRefresh })).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    const third = await h.oidc.createToken({ ...credentialsOf(registration), grantType: REFRESH_TOKEN_GRANT, refreshToken: second.refreshToken ?? '' });
    expect(third.accessToken).not.toBe(second.accessToken);
  });

  it('retries an injected 500 on CreateToken and recovers', async () => {
    const h = await start({ autoApprove: true });
    const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: SCOPES });
    const device = await h.oidc.startDeviceAuthorization({ ...credentialsOf(registration), startUrl: START_URL });
    await h.admin('POST', 'faults', { operation: 'CreateToken', count: 2, status: 500 });
    const tokens = await h.oidc.createToken({ ...credentialsOf(registration), grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
    expect(tokens.accessToken).not.toBe('');
    expect((await h.calls()).CreateToken).toBe(3);
    expect(h.clock.sleeps).toHaveLength(2);
  });
});

/** Opens /authorize as a browser would (auto-approved) and reads the code off the 302. */
async function authorizeCode(h: EmulatorHarness, clientId: string, challenge: string): Promise<{ code: string; redirectUri: string }> {
  const state = base64Url(randomBytes(16));
  const redirectUri = 'http://127.0.0.1:43210/oauth/callback';
  const authorize = new URL('/authorize', h.emulator.baseUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge_method: 'S256',
    scopes: 'sso:account:access',
    code_challenge: challenge,
  }).toString();
  const response = await fetch(authorize, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(location.searchParams.get('state')).toBe(state);
  return { code: location.searchParams.get('code') ?? '', redirectUri };
}

async function registerPkceClient(h: EmulatorHarness): Promise<ClientRegistration> {
  return h.oidc.registerClient({
    clientName: 'latchkey-test',
    scopes: SCOPES,
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['http://127.0.0.1/oauth/callback'],
  });
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64Url(randomBytes(48));
  return { verifier, challenge: base64Url(createHash('sha256').update(verifier).digest()) };
}

describe('authorization code flow with PKCE against the emulator', () => {
  it('redeems the code from the authorize redirect with the verifier, once', async () => {
    const h = await start({ autoApprove: true });
    const registration = await registerPkceClient(h);
    const { verifier, challenge } = pkcePair();
    expect(verifier).toHaveLength(64);
    const { code, redirectUri } = await authorizeCode(h, registration.clientId, challenge);
    const redeem = { ...credentialsOf(registration), grantType: AUTHORIZATION_CODE_GRANT, code, redirectUri, codeVerifier: verifier } as const;
    const tokens = await h.oidc.createToken(redeem);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    await expect(h.oidc.createToken(redeem)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('rejects a code presented with the wrong verifier as invalid_grant', async () => {
    const h = await start({ autoApprove: true });
    const registration = await registerPkceClient(h);
    const { challenge } = pkcePair();
    const { code, redirectUri } = await authorizeCode(h, registration.clientId, challenge);
    await expect(
      h.oidc.createToken({ ...credentialsOf(registration), grantType: AUTHORIZATION_CODE_GRANT, code, redirectUri, codeVerifier: pkcePair().verifier }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });
});
