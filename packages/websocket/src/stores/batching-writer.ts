import type { AppendRequest, AppendResult } from './message-store';

interface Waiting<R> {
  readonly request: AppendRequest;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** The largest batch one transaction takes; more waits for the next turn (bounds the event loop pause). */
const MAX_BATCH = 4096;

/**
 * Collects the appends of one event-loop turn and writes them in one transaction, one transaction at a time, so
 * that many small publishes cost one commit and each instance's offsets come back in the order it published.
 * `stored` runs for each message, in order, and what it returns resolves that message's promise (delivery before
 * acknowledgement).
 */
export class BatchingWriter<R> {
  #queue: Array<Waiting<R>> = [];
  #scheduled = false;
  #writing = false;

  constructor(
    private readonly _write: (batch: readonly AppendRequest[]) => Promise<AppendResult[]>,
    private readonly _stored: (request: AppendRequest, result: AppendResult) => R,
  ) {}

  /** Queue one message; resolves once its batch is committed. */
  append(request: AppendRequest): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (!this.#scheduled) this.#schedule();
    });
  }

  /** Messages queued or being written. */
  get pending(): number {
    return this.#queue.length;
  }

  #schedule(): void {
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue.length <= MAX_BATCH ? this.#queue : this.#queue.slice(0, MAX_BATCH);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(MAX_BATCH);
    this.#writing = true;
    try {
      let results: AppendResult[];
      try {
        results = await this._write(batch.map((w) => w.request));
      } catch (err) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (let i = 0; i < batch.length; i += 1) {
        const w = batch[i] as Waiting<R>;
        w.resolve(this._stored(w.request, results[i] as AppendResult));
      }
    } finally {
      this.#writing = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
