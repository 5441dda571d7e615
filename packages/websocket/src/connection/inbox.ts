import { WebSocketError, type WebSocketConnectionError } from './errors';
import { FrameType } from './frame-type';
import type { ResolvedWebSocketOptions } from './options';

/** What a pending read wants: any message, a text frame, a binary frame, or an iterator step. */
const WANT_ANY = 0;
const WANT_TEXT = 1;
const WANT_BYTES = 2;
const WANT_STEP = 3;
type Want = typeof WANT_ANY | typeof WANT_TEXT | typeof WANT_BYTES | typeof WANT_STEP;

/** Past this many unread messages the socket is paused, so a peer cannot grow server memory without bound. */
const MAX_QUEUED_MESSAGES = 1024;

/**
 * The inbox a `new Promise(park)` is for: one shared executor instead of a closure per pending read (the executor
 * runs synchronously inside the constructor, so this cannot be observed by anyone else).
 */
let parking: MessageInbox | null = null;

function park(resolve: (value: never) => void): void {
  const inbox = parking as MessageInbox;
  parking = null;
  inbox._park(resolve);
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
 * docs/benchmarks.md). Order is kept: a held message is always read before anything queued after it.
 */
let wakeList: MessageInbox[] = [];
let wakeScheduled = false;

function wakeHeldReaders(): void {
  wakeScheduled = false;
  const list = wakeList;
  wakeList = [];
  for (let i = 0; i < list.length; i += 1) (list[i] as MessageInbox)._deliverHeld();
}

/** Messages up to this size wait for the wake-up turn; larger ones cost far more than a microtask checkpoint. */
const MAX_HELD_BYTES = 1024;

/** `_held` states: nothing held, a text frame held, a binary frame held. */
const HELD_NONE = 0;
const HELD_TEXT = 1;
const HELD_BINARY = 2;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });
const DONE_PROMISE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(DONE);

/**
 * The receiving half of a connection: queues messages from the moment the handshake completes (nothing is lost
 * while a handler awaits something else) and hands them to `receive*()` or `for await` in arrival order.
 * Messages are kept as raw bytes plus a text/binary flag so each read can decode as it asks.
 */
export abstract class MessageInbox {
  /** Pairs of [payload, isBinary] from `_qHead` on; a flat array avoids an object per queued message. */
  private _queue: (Buffer | boolean)[] | null = null;
  private _qHead = 0;
  private _qBytes = 0;
  private _resolve: ((value: never) => void) | null = null;
  private _want: Want = WANT_ANY;
  /** The message kept for the parked reader until the next wake-up turn (`_heldKind` says whether and which). */
  private _held: Buffer | null = null;
  private _heldKind = HELD_NONE;
  /** True while the socket is paused because the handler is not keeping up. */
  protected _backlogged = false;

  protected constructor(protected readonly _opts: ResolvedWebSocketOptions) {}

  /** The error a read gets when no message is queued: null while the connection is open. */
  protected abstract _readError(): WebSocketConnectionError | null;
  /** Pause (true) or resume (false) reading from the peer. */
  protected abstract _setBacklogged(paused: boolean): void;

  /** Next message: `string` for text frames (`Buffer` when frameType is BINARY), `Buffer` for binary frames. */
  receive(): Promise<string | Buffer> {
    return this._take(WANT_ANY) as Promise<string | Buffer>;
  }

  /** Next message, which must be a text frame; a binary frame is consumed and raises a TypeError. */
  receiveText(): Promise<string> {
    return this._take(WANT_TEXT) as Promise<string>;
  }

  /** Next message as bytes; a text frame raises a TypeError unless frameType is BINARY. */
  receiveBytes(): Promise<Buffer> {
    return this._take(WANT_BYTES) as Promise<Buffer>;
  }

  /** Next message parsed as JSON (text or binary frame); malformed JSON raises a WebSocketError naming the problem. */
  async receiveJson<T = unknown>(): Promise<T> {
    const message = await this.receive();
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

  /** Messages in arrival order; the loop ends quietly when the connection closes (or was never accepted). */
  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return new MessageIterator(this);
  }

  /** @internal One iterator step; `MessageIterator.next()` delegates here. */
  _step(): Promise<IteratorResult<string | Buffer, undefined>> {
    return this._take(WANT_STEP) as Promise<IteratorResult<string | Buffer, undefined>>;
  }

  /** @internal Store the resolve function of the pending read (called by `park`). */
  _park(resolve: (value: never) => void): void {
    this._resolve = resolve;
  }

  /** @internal Wake-up turn (or a second message in the same turn): hand the held message to the parked reader. */
  _deliverHeld(): void {
    if (this._heldKind === HELD_NONE) return; // already delivered early
    const data = this._held as Buffer;
    const isBinary = this._heldKind === HELD_BINARY;
    this._held = null;
    this._heldKind = HELD_NONE;
    this._handOver(data, isBinary);
  }

  /**
   * Hand an arrived message to the waiting reader, or queue it. A small message for a parked reader is held until the
   * wake-up turn, so readers woken by one message each are resumed together; a large one, or a second message in the
   * same turn (a busy connection), is handed over at once and drained in this read's own microtask checkpoint, which
   * keeps what a busy connection has in flight small.
   */
  protected _push(data: Buffer, isBinary: boolean): void {
    if (this._heldKind !== HELD_NONE) {
      this._deliverHeld();
    } else if (this._resolve !== null) {
      if (data.length > MAX_HELD_BYTES) {
        this._handOver(data, isBinary);
        return;
      }
      this._held = data;
      this._heldKind = isBinary ? HELD_BINARY : HELD_TEXT;
      wakeList.push(this);
      if (!wakeScheduled) {
        wakeScheduled = true;
        setImmediate(wakeHeldReaders);
      }
      return;
    }
    const queue = (this._queue ??= []);
    queue.push(data, isBinary);
    this._qBytes += data.length;
    if (
      !this._backlogged &&
      (this._qBytes > this._opts.maxMessageBytes || queue.length - this._qHead > 2 * MAX_QUEUED_MESSAGES)
    ) {
      this._backlogged = true;
      this._setBacklogged(true);
    }
  }

  /** Settle the parked read with this message, converted as the read asked. */
  private _handOver(data: Buffer, isBinary: boolean): void {
    const resolve = this._resolve as (value: never) => void;
    this._resolve = null;
    try {
      resolve(this._convert(this._want, data, isBinary) as never);
    } catch (err) {
      rejectThrough(resolve, err);
    }
  }

  /** Wake a pending reader because the connection ended: iterators finish, `receive*()` rejects. */
  protected _wakeReader(): void {
    const resolve = this._resolve;
    // A held message is still delivered on its wake-up turn; the read after it sees the end.
    if (resolve === null || this._heldKind !== HELD_NONE) return;
    this._resolve = null;
    if (this._want === WANT_STEP) resolve(DONE as never);
    else rejectThrough(resolve, this._readError());
  }

  private _take(want: Want): Promise<unknown> {
    if (this._resolve !== null) return concurrentReceive();
    const queue = this._queue;
    const head = this._qHead;
    if (queue !== null && head < queue.length) {
      const data = queue[head] as Buffer;
      const isBinary = queue[head + 1] as boolean;
      this._dequeued(data.length);
      try {
        return Promise.resolve(this._convert(want, data, isBinary));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const error = this._readError();
    if (error !== null) return want === WANT_STEP ? DONE_PROMISE : Promise.reject(error);
    this._want = want;
    parking = this;
    return new Promise(park);
  }

  private _dequeued(bytes: number): void {
    const queue = this._queue as (Buffer | boolean)[];
    queue[this._qHead] = queue[this._qHead + 1] = false; // drop the payload reference right away
    this._qHead += 2;
    this._qBytes -= bytes;
    if (this._qHead === queue.length) {
      this._queue = null; // an idle connection keeps no queue
      this._qHead = 0;
      if (this._backlogged) {
        this._backlogged = false;
        this._setBacklogged(false);
      }
    }
  }

  private _convert(want: Want, data: Buffer, isBinary: boolean): unknown {
    const binaryMode = this._opts.frameType === FrameType.BINARY;
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

/** The `for await` iterator over an inbox; `break` stops reading but leaves the connection open. */
class MessageIterator implements AsyncIterableIterator<string | Buffer> {
  constructor(private readonly _inbox: MessageInbox) {}

  next(): Promise<IteratorResult<string | Buffer, undefined>> {
    return this._inbox._step();
  }

  return(): Promise<IteratorResult<string | Buffer, undefined>> {
    return DONE_PROMISE;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string | Buffer> {
    return this;
  }
}
