import { describe, expect, it } from 'vitest';
import { GatedSecretStore } from '../../../main/core/gated-secret-store';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';

describe('GatedSecretStore', () => {
  it('holds every call until the gate opens, then answers from the store as it is then', async () => {
    const inner = new InMemorySecretStore();
    let open: () => void = () => undefined;
    const gated = new GatedSecretStore(inner, new Promise<void>((resolve) => (open = resolve)));
    const seen: string[] = [];
    const read = gated.get('corp').then((value) => seen.push(`get ${value}`));
    const listed = gated.keys().then((keys) => seen.push(`keys ${keys.join(',')}`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([]);
    // What the move writes before the gate opens is what the waiting callers see.
    await inner.set('corp', 'moved');
    open();
    await Promise.all([read, listed]);
    expect(seen).toEqual(['get moved', 'keys corp']);
    await gated.set('ops', 'x');
    await gated.delete('corp');
    expect(await inner.keys()).toEqual(['ops']);
  });
});
