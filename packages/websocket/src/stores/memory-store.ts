import { randomId } from '../rooms/envelope';
import type { AppendRequest, AppendResult, MessageStore, Retention, StoredMessage, StreamPosition } from './message-store';

interface Stream {
  readonly epoch: string;
  last: number;
  /** Retained messages, oldest first (offsets consecutive up to `last`). */
  readonly messages: StoredMessage[];
}

/**
 * History in this process's memory (`store: { kind: memory }`), for tests and throwaway apps: lost when the
 * process ends, which is why every stream gets a new epoch with each process.
 */
export class MemoryStore implements MessageStore {
  readonly description = 'memory';
  readonly #streams = new Map<string, Stream>();

  constructor(private readonly _retention: Retention) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  append(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    const results = batch.map((request) => {
      let stream = this.#streams.get(request.room);
      if (stream === undefined) this.#streams.set(request.room, (stream = { epoch: randomId(), last: 0, messages: [] }));
      stream.last += 1;
      stream.messages.push({ offset: stream.last, at: request.at, data: request.data });
      if (stream.messages.length > this._retention.maxPerRoom) stream.messages.shift();
      return { offset: stream.last, epoch: stream.epoch };
    });
    return Promise.resolve(results);
  }

  read(room: string, after: number, before: number, limit: number): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    const since = Date.now() - this._retention.ttlMs;
    for (const m of this.#streams.get(room)?.messages ?? []) {
      if (m.offset >= before || out.length >= limit) break;
      if (m.offset > after && m.at >= since) out.push(m);
    }
    return Promise.resolve(out);
  }

  position(room: string): Promise<StreamPosition | null> {
    const stream = this.#streams.get(room);
    if (stream === undefined) return Promise.resolve(null);
    const since = Date.now() - this._retention.ttlMs;
    const first = stream.messages.find((m) => m.at >= since)?.offset ?? stream.last + 1;
    return Promise.resolve({ epoch: stream.epoch, last: stream.last, first });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
