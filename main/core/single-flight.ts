/**
 * One run per key at a time: callers that arrive while a run for their key is in flight
 * share its promise instead of starting another. This is what keeps a hundred parallel
 * tools to one sign-in, one refresh and one GetRoleCredentials call.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(work)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  isRunning(key: K): boolean {
    return this.inFlight.has(key);
  }

  /** The run in flight for `key`, if any, to join without starting one. */
  current(key: K): Promise<V> | undefined {
    return this.inFlight.get(key);
  }
}
