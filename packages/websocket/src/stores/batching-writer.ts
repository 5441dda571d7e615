import type { AppendRequest, AppendResult } from './message-store';

interface Waiting {
  readonly request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** The largest batch one transaction takes; more waits for the next turn (bounds the event loop pause). */
const MAX_BATCH = 4096;

/**
 * Collects the appends of one event-loop turn and writes them in one transaction, one transaction at a time, so
 * that many small publishes cost one commit and each instance's offsets come back in the order it published.
 * `stored` runs for each message, in order, before its promise resolves (delivery before acknowledgement).
 */
export class BatchingWriter {
  #queue: Waiting[] = [];
  #scheduled = false;
  #writing = false;

  constructor(
    private readonly _write: (batch: readonly AppendRequest[]) => Promise<AppendResult[]>,
    private readonly _stored: (request: AppendRequest, result: AppendResult) => void,
  ) {}

  /** Queue one message; resolves once its batch is committed. */
  append(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
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
        const w = batch[i] as Waiting;
        const result = results[i] as AppendResult;
        this._stored(w.request, result);
        w.resolve(result);
      }
    } finally {
      this.#writing = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
