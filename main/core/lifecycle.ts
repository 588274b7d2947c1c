/** Whoever starts something can stop it: servers, timers, listeners and loops are Disposables. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Collects disposables as they are created and releases them together, newest first. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) await item.dispose();
  }
}

export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  return { dispose };
}
