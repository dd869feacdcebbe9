/**
 * A tiny external store for the UI: `useSyncExternalStore(store.subscribe, store.getState)`.
 * State is replaced, never mutated; subscribers are notified at most once per `flushMs` so
 * audio-rate updates never drive a React render per chunk.
 */
export class Store<S> {
  private state: S;
  private readonly subscribers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    initial: S,
    private readonly flushMs = 0,
  ) {
    this.state = initial;
  }

  getState = (): S => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  };

  update(fn: (s: S) => S): void {
    const next = fn(this.state);
    if (next === this.state) return;
    this.state = next;
    if (this.flushMs <= 0) return this.notify();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.notify();
    }, this.flushMs);
  }

  private notify(): void {
    for (const s of this.subscribers) s();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscribers.clear();
  }
}
