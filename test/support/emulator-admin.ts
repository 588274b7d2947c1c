/** The emulator's admin API (docs/emulator.md), for tests outside test/integration/emulator. */
export type CallCounts = Record<
  'RegisterClient' | 'StartDeviceAuthorization' | 'CreateToken' | 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials' | 'Logout',
  number
>;

export class EmulatorAdmin {
  constructor(private readonly baseUrl: string) {}

  /** GET without a body, POST with one; throws on any answer but 2xx. */
  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator admin ${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  async calls(): Promise<CallCounts> {
    return (await this.call('GET', 'calls')) as CallCounts;
  }

  async advanceSeconds(seconds: number): Promise<void> {
    await this.call('POST', 'clock', { advanceSeconds: seconds });
  }
}
