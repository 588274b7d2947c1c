import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidGrantException,
  SlowDownException,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { adminJson, adminOk, DEVICE_GRANT, emulatorForTest, oidcClient, registerDeviceClient, rejectionOf, START_URL } from './harness';

describe('device authorization flow', () => {
  it('issues a token once the user code is approved through the admin API', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));

    expect(start.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(start.verificationUri).toBe(`${emulator.baseUrl}/device`);
    expect(start.verificationUriComplete).toBe(`${emulator.baseUrl}/device?user_code=${start.userCode}`);
    expect(start).toMatchObject({ expiresIn: 600, interval: 1 });

    const poll = new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode });
    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(AuthorizationPendingException);

    await adminOk(emulator.baseUrl, 'approve', { userCode: start.userCode });
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 1 });
    const token = await oidc.send(poll);

    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(token.accessToken).toEqual(expect.any(String));
    expect(token.refreshToken).toEqual(expect.any(String));
  });

  it('answers slow_down to a second poll sent sooner than the interval and records the gaps', async () => {
    const emulator = await emulatorForTest({ intervalSeconds: 5 });
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    const poll = new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode });

    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(AuthorizationPendingException);
    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(SlowDownException);
    // After slow_down the interval for this code is 5 + 5 seconds (RFC 8628 section 3.5).
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 6 });
    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(SlowDownException);
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 16 });
    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(AuthorizationPendingException);

    const polls = await adminJson<Record<string, { intervalSeconds: number; gapsMs: number[] }>>(emulator.baseUrl, 'polls');
    const record = polls[start.userCode ?? ''];
    expect(record?.intervalSeconds).toBe(5);
    expect(record?.gapsMs).toHaveLength(3);
    expect(record?.gapsMs[0]).toBeLessThan(5000);
    expect(record?.gapsMs[1]).toBeGreaterThanOrEqual(6000);
    expect(record?.gapsMs[2]).toBeGreaterThanOrEqual(16000);
  });

  it('answers expired_token once the device code outlives expiresIn', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 600 });

    const error = await rejectionOf(oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode })));

    expect(error).toBeInstanceOf(ExpiredTokenException);
    expect((await fetchStatus(`${emulator.baseUrl}/_emulator/approve`, { userCode: start.userCode }))).toBe(404);
  });

  it('answers access_denied after the user code is denied', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    await adminOk(emulator.baseUrl, 'deny', { userCode: start.userCode });

    const error = await rejectionOf(oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode })));

    expect(error).toBeInstanceOf(AccessDeniedException);
  });

  it('answers invalid_grant when a redeemed device code is used again', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    const poll = new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode });
    await oidc.send(poll);
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 1 });

    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(InvalidGrantException);
  });

  it('answers 404 to approving an unknown user code', async () => {
    const emulator = await emulatorForTest();

    expect(await fetchStatus(`${emulator.baseUrl}/_emulator/approve`, { userCode: 'BCDF-GHJK' })).toBe(404);
    expect(await fetchStatus(`${emulator.baseUrl}/_emulator/deny`, { userCode: 'BCDF-GHJK' })).toBe(404);
  });

  it('lists pending user codes for tests that approve whatever is waiting', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));

    const pending = await adminJson<{ deviceUserCodes: string[] }>(emulator.baseUrl, 'pending');

    expect(pending.deviceUserCodes).toEqual([start.userCode]);
  });

  it('gives the same codes and tokens for the same seed', async () => {
    async function run(): Promise<string[]> {
      const emulator = await emulatorForTest({ seed: 'fixed', autoApprove: true });
      const oidc = oidcClient(emulator.baseUrl);
      const registration = await registerDeviceClient(oidc);
      const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
      const token = await oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode }));
      return [registration.clientId, start.userCode ?? '', start.deviceCode ?? '', token.accessToken ?? ''];
    }

    expect(await run()).toEqual(await run());
  });
});

async function fetchStatus(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}
