import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { resolveOidcEndpoint, resolvePortalEndpoint } from '../../../main/aws/endpoints';
import type { Environment } from '../../../main/aws/environment';
import { HttpIdentityCenterApis } from '../../../main/aws/http-identity-center-apis';
import { HttpTransport } from '../../../main/aws/http-transport';
import { OidcClient } from '../../../main/aws/oidc-client';
import { PortalClient } from '../../../main/aws/portal-client';
import { DEVICE_CODE_GRANT } from '../../../main/aws/wire-types';
import { startConnectProxy, type ConnectProxy } from '../../unit/aws/support/connect-proxy';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function emulatorAndProxy(): Promise<{ emulator: Emulator; proxy: ConnectProxy }> {
  const emulator = await startEmulator({ port: 0, autoApprove: true });
  closers.push(() => emulator.close());
  const proxy = await startConnectProxy();
  closers.push(() => proxy.close());
  return { emulator, proxy };
}

/** Signs in and lists accounts the way the app will: endpoints resolved from the environment. */
async function signInAndList(env: Environment): Promise<number> {
  const oidcTransport = new HttpTransport({ baseUrl: resolveOidcEndpoint('us-east-1', env), env });
  const portalTransport = new HttpTransport({ baseUrl: resolvePortalEndpoint('us-east-1', env), env });
  closers.push(() => oidcTransport.close(), () => portalTransport.close());
  const oidc = new OidcClient(oidcTransport);
  const registration = await oidc.registerClient({ clientName: 'latchkey-test', scopes: ['sso:account:access'] });
  const client = { clientId: registration.clientId, clientSecret: registration.clientSecret };
  const device = await oidc.startDeviceAuthorization({ ...client, startUrl: 'https://d-1234567890.awsapps.com/start' });
  const tokens = await oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
  return (await new PortalClient(portalTransport).listAccounts(tokens.accessToken)).length;
}

describe('endpoint variables and proxies against the emulator', () => {
  it('reaches the emulator through AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO', async () => {
    const { emulator, proxy } = await emulatorAndProxy();
    const env = { AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl, AWS_ENDPOINT_URL_SSO: emulator.baseUrl };
    await expect(signInAndList(env)).resolves.toBe(2);
    expect(proxy.tunnels).toEqual([]);
  });

  it('sends every call through HTTP_PROXY', async () => {
    const { emulator, proxy } = await emulatorAndProxy();
    const env = { AWS_ENDPOINT_URL: emulator.baseUrl, HTTP_PROXY: proxy.url };
    await expect(signInAndList(env)).resolves.toBe(2);
    const emulatorHost = new URL(emulator.baseUrl).host;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([emulatorHost]));
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const { emulator, proxy } = await emulatorAndProxy();
    const env = { AWS_ENDPOINT_URL: emulator.baseUrl, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' };
    await expect(signInAndList(env)).resolves.toBe(2);
    expect(proxy.tunnels).toEqual([]);
  });
});

describe('HttpIdentityCenterApis', () => {
  it('makes one client pair per region from the environment and closes them', async () => {
    const emulator = await startEmulator({ port: 0, autoApprove: true });
    closers.push(() => emulator.close());
    const apis = new HttpIdentityCenterApis({ env: { AWS_ENDPOINT_URL: emulator.baseUrl } });
    closers.push(() => apis.close());
    expect(apis.oidc('eu-west-1')).toBe(apis.oidc('eu-west-1'));
    const registration = await apis.oidc('eu-west-1').registerClient({ clientName: 'latchkey-test', clientType: 'public', scopes: ['sso:account:access'] });
    const client = { clientId: registration.clientId, clientSecret: registration.clientSecret };
    const device = await apis.oidc('eu-west-1').startDeviceAuthorization({ ...client, startUrl: 'https://d-1234567890.awsapps.com/start' });
    const tokens = await apis.oidc('eu-west-1').createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
    await expect(apis.portal('eu-west-1').listAccounts(tokens.accessToken)).resolves.toHaveLength(2);
  });

  it('rejects a malformed region as config_error when a client is first asked for', () => {
    const apis = new HttpIdentityCenterApis({ env: {} });
    expect(() => apis.portal('not a region')).toThrow(expect.objectContaining({ code: 'config_error' }));
  });
});
