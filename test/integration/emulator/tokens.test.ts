import { CreateTokenCommand, InvalidGrantException } from '@aws-sdk/client-sso-oidc';
import { ListAccountsCommand, LogoutCommand, UnauthorizedException } from '@aws-sdk/client-sso';
import { describe, expect, it } from 'vitest';
import { adminOk, emulatorForTest, oidcClient, rejectionOf, signInWithDeviceCode, ssoClient } from './harness';

describe('tokens', () => {
  it('rotates refresh tokens: the new one works, the old one then gets InvalidGrantException', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const signedIn = await signInWithDeviceCode(oidc);

    const refreshed = await oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken }));
    const reused = await rejectionOf(oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken })));
    const next = await oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: refreshed.refreshToken }));

    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(signedIn.refreshToken);
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken);
    expect(reused).toBeInstanceOf(InvalidGrantException);
    expect(next.accessToken).toEqual(expect.any(String));
  });

  it('gives a client registered without scopes an 8-hour token and no refresh token', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });

    const signedIn = await signInWithDeviceCode(oidcClient(emulator.baseUrl), 'omit');

    expect(signedIn.refreshToken).toBeUndefined();
    expect(signedIn.expiresIn).toBe(28800);
  });

  it('expires refresh tokens after their lifetime', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    await adminOk(emulator.baseUrl, 'lifetimes', { refreshTokenSeconds: 60 });
    const oidc = oidcClient(emulator.baseUrl);
    const signedIn = await signInWithDeviceCode(oidc);
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 60 });

    const error = await rejectionOf(oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken })));

    expect(error).toBeInstanceOf(InvalidGrantException);
  });

  it('rejects an expired access token with UnauthorizedException', async () => {
    const emulator = await emulatorForTest({ autoApprove: true, tokenTtlSeconds: 120 });
    const signedIn = await signInWithDeviceCode(oidcClient(emulator.baseUrl));
    const sso = ssoClient(emulator.baseUrl);
    await sso.send(new ListAccountsCommand({ accessToken: signedIn.accessToken }));
    await adminOk(emulator.baseUrl, 'clock', { advanceSeconds: 120 });

    const error = await rejectionOf(sso.send(new ListAccountsCommand({ accessToken: signedIn.accessToken })));

    expect(error).toBeInstanceOf(UnauthorizedException);
    expect((error as UnauthorizedException).message).toBe('Session token not found or invalid');
  });

  it('ends the sign-in session at Logout: its access token and refresh token stop working', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const signedIn = await signInWithDeviceCode(oidc);
    const sso = ssoClient(emulator.baseUrl);

    await sso.send(new LogoutCommand({ accessToken: signedIn.accessToken }));

    expect(await rejectionOf(sso.send(new ListAccountsCommand({ accessToken: signedIn.accessToken })))).toBeInstanceOf(UnauthorizedException);
    const refresh = await rejectionOf(oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken })));
    expect(refresh).toBeInstanceOf(InvalidGrantException);
  });

  it('keeps other sign-in sessions alive when one logs out', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const first = await signInWithDeviceCode(oidc);
    const second = await signInWithDeviceCode(oidc);
    const sso = ssoClient(emulator.baseUrl);

    await sso.send(new LogoutCommand({ accessToken: first.accessToken }));

    const accounts = await sso.send(new ListAccountsCommand({ accessToken: second.accessToken }));
    expect(accounts.accountList).toHaveLength(2);
  });
});
