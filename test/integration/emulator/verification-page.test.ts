import { AuthorizationPendingException, CreateTokenCommand, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { adminOk, DEVICE_GRANT, emulatorForTest, oidcClient, registerDeviceClient, rejectionOf, START_URL } from './harness';

function submit(baseUrl: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/device`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('device verification page', () => {
  it('shows the user code from verificationUriComplete, and Allow approves it', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    const poll = new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode });
    expect(await rejectionOf(oidc.send(poll))).toBeInstanceOf(AuthorizationPendingException);

    const page = await fetch(start.verificationUriComplete ?? '');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain(`value="${start.userCode}"`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1|localhost)/);

    // People type codes in lower case and without the dash.
    const typed = (start.userCode ?? '').replace('-', '').toLowerCase();
    const result = await submit(emulator.baseUrl, { user_code: typed, decision: 'allow' });
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('Request approved');

    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 1 });
    const token = await oidc.send(poll);
    expect(token.accessToken).toEqual(expect.any(String));
  });

  it('escapes whatever arrives in user_code', async () => {
    const emulator = await emulatorForTest();

    const html = await (await fetch(`${emulator.baseUrl}/device?user_code=${encodeURIComponent('"><script>alert(1)</script>')}`)).text();

    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('says so for an unknown code', async () => {
    const emulator = await emulatorForTest();

    const result = await submit(emulator.baseUrl, { user_code: 'BCDF-GHJK', decision: 'allow' });

    expect(result.status).toBe(404);
    expect(await result.text()).toContain('not valid or has expired');
  });
});
