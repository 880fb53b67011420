/**
 * Minimal typed events in the VS Code style: `onX(listener)` returns a
 * disposable, and an object that owns resources has `dispose()`.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribe; the returned disposable unsubscribes. */
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        console.error('[terra] event listener threw', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
