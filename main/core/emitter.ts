import type { Disposable } from './lifecycle';

/** A typed event source. A listener that throws does not stop the others. */
export class Emitter<T> {
  private listeners = new Set<(event: T) => void>();

  on(listener: (event: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed socket, a destroyed window) must not break sign-in.
      }
    }
  }
}
