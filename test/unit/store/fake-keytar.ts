import type { KeytarApi } from '../../../main/store/keytar-api';
import { KEYCHAIN_BLOB_MAX_BYTES, storedBlobBytes } from '../../../main/store/keychain-blob-format';

type Mutation = 'setPassword' | 'deletePassword';

/**
 * keytar in a Map. Like Windows Credential Manager it refuses an oversized blob, and like
 * keytar an empty name or password. It can fail the Nth write (a crash half way through
 * an operation) or leave every call hanging (a locked keychain behind an unseen prompt).
 */
export class FakeKeytar implements KeytarApi {
  readonly records = new Map<string, string>();
  readonly calls: string[] = [];
  private writesUntilFailure: number | undefined;
  private hanging = false;
  private readonly releases: Array<() => void> = [];

  /** The `n`th setPassword or deletePassword from now on throws, and so does every one after. */
  failWriteNumber(n: number): void {
    this.writesUntilFailure = n;
  }

  stopFailing(): void {
    this.writesUntilFailure = undefined;
  }

  hang(): void {
    this.hanging = true;
  }

  /** Lets the hanging calls finish (with no record found) and answers normally again. */
  release(): void {
    this.hanging = false;
    for (const release of this.releases.splice(0)) release();
  }

  accounts(service: string): string[] {
    return [...this.records.keys()]
      .filter((name) => name.startsWith(`${service}\u0000`))
      .map((name) => name.slice(service.length + 1))
      .sort();
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    await this.enter(`getPassword ${account}`);
    return this.records.get(name(service, account)) ?? null;
  }

  async setPassword(service: string, account: string, password: string): Promise<void> {
    await this.enter(`setPassword ${account}`, 'setPassword');
    if (password === '') throw new Error('Password is required.');
    if (storedBlobBytes(password) > KEYCHAIN_BLOB_MAX_BYTES) throw new Error('The stub received bad data.');
    this.records.set(name(service, account), password);
  }

  async deletePassword(service: string, account: string): Promise<boolean> {
    await this.enter(`deletePassword ${account}`, 'deletePassword');
    return this.records.delete(name(service, account));
  }

  async findCredentials(service: string): Promise<Array<{ account: string; password: string }>> {
    await this.enter('findCredentials');
    return this.accounts(service).map((account) => ({ account, password: this.records.get(name(service, account)) ?? '' }));
  }

  private async enter(call: string, mutation?: Mutation): Promise<void> {
    this.calls.push(call);
    if (this.hanging) await new Promise<void>((resolve) => this.releases.push(resolve));
    if (mutation === undefined || this.writesUntilFailure === undefined) return;
    this.writesUntilFailure -= 1;
    if (this.writesUntilFailure <= 0) throw new Error(`simulated crash during ${mutation}`);
  }
}

function name(service: string, account: string): string {
  if (service === '' || account === '') throw new Error('Service and account are required.');
  return `${service}\u0000${account}`;
}
