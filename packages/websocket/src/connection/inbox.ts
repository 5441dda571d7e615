import { WebSocketError, type WebSocketConnectionError } from './errors';
import { FrameType } from './frame-type';
import type { ResolvedWebSocketOptions } from './options';

/** What a pending read wants: any message, a text frame, a binary frame, or an iterator step. */
export const WANT_ANY = 0;
export const WANT_TEXT = 1;
export const WANT_BYTES = 2;
export const WANT_STEP = 3;
/** One of the `WANT_*` values. */
export type Want = typeof WANT_ANY | typeof WANT_TEXT | typeof WANT_BYTES | typeof WANT_STEP;

/** Past this many unread messages the socket is paused, so a peer cannot grow server memory without bound. */
const MAX_QUEUED_MESSAGES = 1024;

/** Index of the first queued payload: slots 0 and 1 of the queue hold its read position and byte count. */
const QUEUE_START = 2;

/**
 * The inbox a `new Promise(park)` is for: one shared executor instead of a closure per pending read (the executor
 * runs synchronously inside the constructor, so this cannot be observed by anyone else).
 */
let parking: Inbox | null = null;

function park(resolve: (value: never) => void): void {
  const inbox = parking as Inbox;
  parking = null;
  inbox.park(resolve);
}

/**
 * Settle a parked read with an error through its resolve function: keeping only `resolve` lets the promise's
 * reject function be collected, which is one closure less per idle connection.
 */
function rejectThrough(resolve: (value: never) => void, error: unknown): void {
  resolve(Promise.reject(error) as never);
}

/**
 * Inboxes holding a message for their parked reader, woken together once per event-loop turn (`setImmediate`).
 * Resuming every waiting handler in one microtask checkpoint, rather than one checkpoint per socket read, is what
 * lets `for await (const m of ws) await ws.send(…)` keep up with a callback-based `ws` server (see
 * docs/performance.md). Order is kept: a held message is always read before anything queued after it.
 */
let wakeList: Inbox[] = [];
let wakeScheduled = false;

/** Bytes held in the current batch (`wakeList`). */
let batchBytes = 0;

function wakeHeldReaders(): void {
  wakeScheduled = false;
  deliverBatch();
}

/** Hand every held message over now: their readers resume together in the next microtask checkpoint. */
function deliverBatch(): void {
  batchBytes = 0;
  const list = wakeList;
  wakeList = [];
  for (let i = 0; i < list.length; i += 1) (list[i] as Inbox).deliverHeld();
}

/**
 * A batch is handed over as soon as it would hold more than this many bytes, and resumes in the checkpoint of the read
 * that filled it. Batching large messages too saves a checkpoint per message (50 connections × 16 KiB, one in
 * flight, went from ~0.9× to ~1.1× bare ws), but holding a whole poll phase of them (500 × 16 KiB) held every reply
 * back a turn (0.7×); 128 KiB (8 messages of 16 KiB, or all of 500 chat-sized ones) keeps both (docs/performance.md).
 */
const MAX_BATCH_BYTES = 128 * 1024;

/**
 * The inbox's bits of the connection's state word (connection-state.ts keeps the low eight): the parked read's `Want`
 * in two bits, whether the held message is binary, and whether the socket is paused.
 */
const WANT_SHIFT = 8;
const WANT_BITS = 3 << WANT_SHIFT;
const HELD_BINARY = 1 << 10;
const BACKLOGGED = 1 << 11;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });
const DONE_PROMISE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(DONE);

/**
 * The receiving half of a connection and the only owner of its inbound queue: queues messages from the moment the
 * handshake completes (nothing is lost while a handler awaits something else) and hands them to `receive*()` or
 * `for await` in arrival order. Messages are kept as raw bytes plus a text/binary flag so each read can decode as
 * it asks.
 *
 * A connection is its own inbox (`Connection` extends `Outbox`, which extends this): the queue's fields live in the
 * connection's object, one object and two references less per idle connection. What it needs from the connection is
 * declared abstract below.
 */
export abstract class Inbox implements AsyncIterableIterator<string | Buffer> {
  /**
   * `[head, bytes, payload, isBinary, payload, isBinary, …]`: the read position and the queued byte count, then
   * pairs from `head` on. A flat array avoids an object per queued message, and keeping the two counters in it
   * rather than in fields leaves an idle connection (no queue) two fields lighter.
   */
  private queue: (Buffer | boolean | number)[] | null = null;
  private resolve: ((value: never) => void) | null = null;
  /** The message kept for the parked reader until the next wake-up turn (`HELD_BINARY` says which kind). */
  private held: Buffer | null = null;
  /**
   * The connection's state word (connection-state.ts), which the inbox shares for its own few bits (WANT_BITS,
   * HELD_BINARY, BACKLOGGED): an idle connection carries every field, so small state is packed into one.
   */
  word = 0;

  /** The route's limits: `frameType` decides how text frames are handed over, `maxMessageBytes` bounds the queue. */
  abstract readonly options: ResolvedWebSocketOptions;
  /** The error a read gets when no message is queued: null while the connection is open. */
  abstract readError(): WebSocketConnectionError | null;
  /** Pause (true) or resume (false) reading from the peer. */
  abstract setBacklogged(paused: boolean): void;

  /** True while the socket is paused because the handler is not keeping up. */
  get backlogged(): boolean {
    return (this.word & BACKLOGGED) !== 0;
  }

  /** The `for await` protocol: the inbox is its own iterator (no object per loop); `break` leaves the connection open. */
  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return this;
  }

  /** One `for await` step. */
  next(): Promise<IteratorResult<string | Buffer, undefined>> {
    return this.take(WANT_STEP) as Promise<IteratorResult<string | Buffer, undefined>>;
  }

  /** `break` out of `for await`: stop reading, keep the connection. */
  return(): Promise<IteratorResult<string | Buffer, undefined>> {
    return DONE_PROMISE;
  }

  /** The next message parsed as JSON (text or binary frame); malformed JSON raises a WebSocketError naming the problem. */
  async takeJson<T>(): Promise<T> {
    const message = (await this.take(WANT_ANY)) as string | Buffer;
    const text = typeof message === 'string' ? message : message.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new WebSocketError(`Invalid JSON message: ${(err as Error).message}`, {
        errorCode: 'SERV_WS_INVALID_JSON',
        cause: err,
      });
    }
  }

  /** Store the resolve function of the pending read (called by `park`). */
  park(resolve: (value: never) => void): void {
    this.resolve = resolve;
  }

  /** Wake-up turn (or a second message in the same turn): hand the held message to the parked reader. */
  deliverHeld(): void {
    const data = this.held;
    if (data === null) return; // already delivered early
    this.held = null;
    this.handOver(data, (this.word & HELD_BINARY) !== 0);
  }

  /**
   * Hand an arrived message to the waiting reader, or queue it. A message for a parked reader is held until the
   * wake-up turn, so readers woken by one message each are resumed together (a full batch goes at once); a second
   * message in the same turn (a busy connection) is handed over at once and drained in this read's own microtask
   * checkpoint, which keeps what a busy connection has in flight small.
   */
  push(data: Buffer, isBinary: boolean): void {
    if (this.held !== null) {
      this.deliverHeld();
    } else if (this.resolve !== null) {
      if (batchBytes + data.length > MAX_BATCH_BYTES) {
        // The batch is full: hand it over now, this message with it, all resumed after this read.
        deliverBatch();
        this.handOver(data, isBinary);
        return;
      }
      batchBytes += data.length;
      this.held = data;
      this.word = isBinary ? this.word | HELD_BINARY : this.word & ~HELD_BINARY;
      wakeList.push(this);
      if (!wakeScheduled) {
        wakeScheduled = true;
        setImmediate(wakeHeldReaders);
      }
      return;
    }
    const queue = (this.queue ??= [QUEUE_START, 0]);
    queue.push(data, isBinary);
    const bytes = (queue[1] as number) + data.length;
    queue[1] = bytes;
    if (
      (this.word & BACKLOGGED) === 0 &&
      (bytes > this.options.maxMessageBytes || queue.length - (queue[0] as number) > 2 * MAX_QUEUED_MESSAGES)
    ) {
      this.word |= BACKLOGGED;
      this.setBacklogged(true);
    }
  }

  /** Wake a pending reader because the connection ended: iterators finish, `receive*()` rejects. */
  end(): void {
    const resolve = this.resolve;
    // A held message is still delivered on its wake-up turn; the read after it sees the end.
    if (resolve === null || this.held !== null) return;
    this.resolve = null;
    if (((this.word & WANT_BITS) >> WANT_SHIFT) === WANT_STEP) resolve(DONE as never);
    else rejectThrough(resolve, this.readError());
  }

  /** The next message converted as `want` asks: at once from the queue, else once one arrives or the connection ends. */
  take(want: Want): Promise<unknown> {
    if (this.resolve !== null) return concurrentReceive();
    const queue = this.queue;
    if (queue !== null) {
      const head = queue[0] as number;
      const data = queue[head] as Buffer;
      const isBinary = queue[head + 1] as boolean;
      this.dequeued(queue, head, data.length);
      try {
        return Promise.resolve(this.convert(want, data, isBinary));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const error = this.readError();
    if (error !== null) return want === WANT_STEP ? DONE_PROMISE : Promise.reject(error);
    this.word = (this.word & ~WANT_BITS) | (want << WANT_SHIFT);
    parking = this;
    return new Promise(park);
  }

  /** Settle the parked read with this message, converted as the read asked. */
  private handOver(data: Buffer, isBinary: boolean): void {
    const resolve = this.resolve as (value: never) => void;
    this.resolve = null;
    try {
      resolve(this.convert(((this.word & WANT_BITS) >> WANT_SHIFT) as Want, data, isBinary) as never);
    } catch (err) {
      rejectThrough(resolve, err);
    }
  }

  private dequeued(queue: (Buffer | boolean | number)[], head: number, bytes: number): void {
    queue[head] = queue[head + 1] = false; // drop the payload reference right away
    queue[0] = head + 2;
    queue[1] = (queue[1] as number) - bytes;
    if (head + 2 === queue.length) {
      this.queue = null; // an idle connection keeps no queue
      if ((this.word & BACKLOGGED) !== 0) {
        this.word &= ~BACKLOGGED;
        this.setBacklogged(false);
      }
    }
  }

  private convert(want: Want, data: Buffer, isBinary: boolean): unknown {
    const binaryMode = this.options.frameType === FrameType.BINARY;
    switch (want) {
      case WANT_ANY:
        return isBinary || binaryMode ? data : data.toString();
      case WANT_STEP:
        return { value: isBinary || binaryMode ? data : data.toString(), done: false };
      case WANT_TEXT:
        if (isBinary) throw new TypeError('Expected text message, got binary');
        return data.toString();
      default:
        if (!isBinary && !binaryMode) throw new TypeError('Expected binary message, got text');
        return data;
    }
  }
}

/** A read while another is parked: only one place may read a connection at a time. */
function concurrentReceive(): Promise<never> {
  return Promise.reject(
    new WebSocketError(
      'WebSocket receive() called while another receive() or for-await loop is already waiting on this ' +
        'connection; read from one place at a time',
      { errorCode: 'SERV_WS_CONCURRENT_RECEIVE' },
    ),
  );
}
