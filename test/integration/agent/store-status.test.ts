import { afterEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { AgentHarness } from './agent-harness';

// What `latchkey status` and `latchkey doctor` learn of the store from GET /v1/status:
// which one and why always; whether it can be used now only when doctor asks.

let harness: AgentHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A store that cannot be listed, as a locked gnome-keyring is refused before libsecret crashes on it. */
class LockedStore extends InMemorySecretStore {
  override async keys(): Promise<string[]> {
    throw new LatchkeyError('keychain_locked', 'The login keyring is locked: unlock it and run the command again.');
  }
}

const CHOICE = { name: 'secret-service', reason: 'a Secret Service answered and is unlocked' } as const;

describe('the store in GET /v1/status', () => {
  it('names the store and why, and with checkStore=1 says why it cannot be used now', async () => {
    harness = await AgentHarness.start({ agent: { secretStore: new LockedStore(), storeChoice: CHOICE } });
    expect((await harness.request('GET', '/v1/status')).json).toMatchObject({ store: CHOICE });
    expect(((await harness.request('GET', '/v1/status')).json as { store: object }).store).not.toHaveProperty('error');
    const checked = await harness.request('GET', '/v1/status?checkStore=1');
    expect(checked.status).toBe(200);
    expect(checked.json).toMatchObject({ store: { ...CHOICE, error: 'The login keyring is locked: unlock it and run the command again.' } });
  });

  it('has no error with checkStore=1 when the store lists its entries', async () => {
    harness = await AgentHarness.start({ agent: { secretStore: new InMemorySecretStore(), storeChoice: CHOICE } });
    const checked = await harness.request('GET', '/v1/status?checkStore=1');
    expect((checked.json as { store: object }).store).toEqual(CHOICE);
  });
});
