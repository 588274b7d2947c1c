import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { SSOClient } from '@aws-sdk/client-sso';
import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';

export const START_URL = 'https://d-1234567890.awsapps.com/start';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const SSO_SCOPE = 'sso:account:access';

const running: Emulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** Starts an emulator that the surrounding test file closes after each test. */
export async function emulatorForTest(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  running.push(emulator);
  return emulator;
}

// One attempt only: the SDK's retries would otherwise hide injected faults and throttling.
export function oidcClient(baseUrl: string): SSOOIDCClient {
  return new SSOOIDCClient({ region: 'us-east-1', endpoint: baseUrl, maxAttempts: 1 });
}

export function ssoClient(baseUrl: string): SSOClient {
  return new SSOClient({ region: 'us-east-1', endpoint: baseUrl, maxAttempts: 1 });
}

export async function admin(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function adminOk(baseUrl: string, path: string, body: unknown): Promise<void> {
  const response = await admin(baseUrl, 'POST', path, body);
  if (response.status !== 204) throw new Error(`admin ${path} answered ${response.status}: ${await response.text()}`);
}

export async function adminJson<T>(baseUrl: string, path: string): Promise<T> {
  const response = await admin(baseUrl, 'GET', path);
  return (await response.json()) as T;
}

export interface Registration {
  clientId: string;
  clientSecret: string;
}

/** Registers as the AWS CLI does for the device flow: no grantTypes; 'omit' leaves out scopes too. */
export async function registerDeviceClient(oidc: SSOOIDCClient, scopes: string[] | 'omit' = [SSO_SCOPE]): Promise<Registration> {
  const out = await oidc.send(new RegisterClientCommand({
    clientName: 'latchkey-test',
    clientType: 'public',
    ...(scopes === 'omit' ? {} : { scopes }),
  }));
  return { clientId: out.clientId ?? '', clientSecret: out.clientSecret ?? '' };
}

export interface SignedIn {
  registration: Registration;
  accessToken: string;
  refreshToken: string | undefined;
  expiresIn: number;
}

/** The whole device flow against an emulator started with autoApprove. */
export async function signInWithDeviceCode(oidc: SSOOIDCClient, scopes: string[] | 'omit' = [SSO_SCOPE]): Promise<SignedIn> {
  const registration = await registerDeviceClient(oidc, scopes);
  const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
  const token = await oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode }));
  return { registration, accessToken: token.accessToken ?? '', refreshToken: token.refreshToken, expiresIn: token.expiresIn ?? 0 };
}

/** Awaits a rejection and returns it, failing when the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}
