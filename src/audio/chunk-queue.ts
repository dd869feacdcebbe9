/**
 * A single-consumer async queue fed by callbacks (stream 'data', 'close', 'error'): turns an
 * event source into an async iterable without ever leaving an error event unhandled.
 */
export class ChunkQueue<T> {
  private items: T[] = [];
  private ended = false;
  private failure: unknown = undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly hooks: { onDrain?: () => void; highWater?: number; onHighWater?: () => void } = {}) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    if (this.hooks.highWater !== undefined && this.items.length >= this.hooks.highWater) this.hooks.onHighWater?.();
    this.notify();
  }

  /** End the queue; with `error`, the consumer gets it after the items already queued. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.notify();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        if (this.items.length === 0) this.hooks.onDrain?.();
        yield item;
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      this.hooks.onDrain?.();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
