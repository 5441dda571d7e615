import type { Duplex } from 'node:stream';
import { DrainWaiters } from './backpressure';
import { CloseCode } from './close-codes';
import type { WebSocketConnectionError } from './errors';
import { FrameType } from './frame-type';
import { FANOUT_CORK_BYTES } from './fanout-cork';
import { Inbox } from './inbox';
import { BINARY_FRAME, TEXT_FRAME, writeFrameDirect, writePreframed } from './frame-writer';
import type { OwnedRawSocket } from './raw-socket';
import type { WebSocketRouteCounters } from '../metrics/route-counters';

const OPEN = 1;
const BINARY_SEND = { binary: true } as const;
const TEXT_SEND = { binary: false } as const;
/** Above any socket's `writableHighWaterMark` (16 KiB on Node 20, 64 KiB on 22): smaller caps are checked always. */
const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;
/** `send()` hands out this one settled promise on the fast path: no allocation per message. */
export const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => undefined;

/** A rejected promise that does not count as unhandled: `await` still throws, fire-and-forget sends cannot crash. */
export function failed(error: Error): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(noop);
  return promise;
}

/** What a value is, for error messages: `number`, `null`, `Date`… */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The sending half of a connection and the only writer to it: frames text, bytes and JSON (small frames directly,
 * the rest through `ws`), with backpressure (`sendHighWaterBytes`) and a hard cap on the backlog
 * (`maxBufferedBytes` → close 1013). It holds the transport: the TCP/TLS socket from the upgrade request and, once
 * accepted, the `ws` socket on top of it.
 *
 * `Connection` extends it rather than holding one, and it extends the receiving half (`Inbox`): both halves' fields
 * live in the connection's own object, which keeps an idle connection two objects lighter. What it needs from the
 * connection is declared abstract below (and, for `options`, in `Inbox`).
 */
export abstract class Outbox extends Inbox {
  /** The `ws` socket, from `accept()` on. */
  raw: OwnedRawSocket | null = null;
  /** Sends parked until the socket drains; allocated only for a connection that has to wait. */
  private drain: DrainWaiters | null = null;

  constructor(
    /** The socket of the upgrade request. */
    readonly socket: Duplex,
  ) {
    super();
  }

  /** The route's counters: every message sent adds one. */
  abstract readonly counters: WebSocketRouteCounters;
  /** True while the state machine is CONNECTED. */
  abstract readonly connected: boolean;
  /** "WebSocket connection is not active", with the close code and reason when there are some. */
  abstract notActive(): WebSocketConnectionError;
  /**
   * The peer is not reading — the backlog passed `maxBufferedBytes` ("Send buffer limit exceeded") or a send waited
   * `sendTimeoutMs` for a drain ("Send timeout"): close with 1013 and drop the peer; returns the error for the send.
   */
  abstract overflowed(reason: string): WebSocketConnectionError;

  /** True while messages can be sent: CONNECTED and the `ws` socket open. */
  get open(): boolean {
    return this.connected && (this.raw as OwnedRawSocket).readyState === OPEN;
  }

  /** Bytes queued for sending but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.raw === null ? 0 : this.raw.bufferedAmount;
  }

  /** Strings as text frames (binary when frameType is BINARY), bytes as binary frames. */
  send(data: string | Uint8Array): Promise<void> {
    const raw = this.raw;
    if (!this.connected || raw === null || raw.readyState !== OPEN) return failed(this.notActive());
    if (typeof data === 'string') {
      if (this.options.frameType === FrameType.BINARY) {
        if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data, BINARY_SEND);
      } else if (!writeFrameDirect(raw, TEXT_FRAME, data)) {
        raw.send(data);
      }
    } else if (data instanceof Uint8Array) {
      if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data);
    } else {
      return failed(new TypeError(`WebSocket data must be string or bytes, got ${describe(data)}`));
    }
    return this.afterSend(raw);
  }

  /** A text frame, whatever the frame type. */
  sendText(data: string): Promise<void> {
    const raw = this.raw;
    if (!this.connected || raw === null || raw.readyState !== OPEN) return failed(this.notActive());
    if (typeof data !== 'string') {
      return failed(new TypeError(`WebSocket sendText() data must be a string, got ${describe(data)}`));
    }
    if (!writeFrameDirect(raw, TEXT_FRAME, data)) raw.send(data);
    return this.afterSend(raw);
  }

  /** A binary frame; a string goes out as its UTF-8 bytes. */
  sendBytes(data: Uint8Array | string): Promise<void> {
    const raw = this.raw;
    if (!this.connected || raw === null || raw.readyState !== OPEN) return failed(this.notActive());
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      return failed(new TypeError(`WebSocket data must be string or bytes, got ${describe(data)}`));
    }
    if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data, BINARY_SEND);
    return this.afterSend(raw);
  }

  /** `value` as JSON (a binary frame when frameType is BINARY); cyclic or BigInt values raise a TypeError. */
  sendJson(value: unknown): Promise<void> {
    if (!this.open) return failed(this.notActive());
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      return failed(new TypeError(`Data is not JSON serializable: ${(err as Error).message}`, { cause: err }));
    }
    if (text === undefined) {
      return failed(new TypeError(`Data is not JSON serializable: ${describe(value)} has no JSON representation`));
    }
    return this.send(text);
  }

  /**
   * Rooms' fan-out: write `frame` (the whole frame of `payload`, built once for every member) without waiting for
   * drain, through `ws` when this connection compresses; past `maxBufferedBytes` close 1013. Nobody waits for it.
   * `cork`: the room already broadcast in this tick, so the frame waits for the tick's end with the others.
   */
  deliver(frame: Buffer, payload: Buffer, binary: boolean, cork: boolean): void {
    const raw = this.raw;
    if (!this.connected || raw === null || raw.readyState !== OPEN) return;
    this.counters.sent++;
    const max = this.options.maxBufferedBytes;
    const below = writePreframed(raw, frame, cork ? Math.min(FANOUT_CORK_BYTES, max / 2) : 0);
    if (below === null) raw.send(payload, binary ? BINARY_SEND : TEXT_SEND);
    // Below the socket's high-water mark the backlog cannot pass the cap, unless the cap itself is that small.
    if ((below !== true || max < SOCKET_HIGH_WATER_BYTES) && raw.bufferedAmount > max) this.overflowed('Send buffer limit exceeded');
  }

  /** The connection closed: sends waiting for a drain fail with "not active". */
  protected failParkedSends(): void {
    if (this.drain !== null) {
      this.drain.settle(this.notActive());
      this.drain = null;
    }
  }

  /** Close the `ws` socket with 1013 and drop it without waiting for the peer's close frame. */
  protected dropOverflowed(reason: string): void {
    const raw = this.raw as OwnedRawSocket;
    raw.close(CloseCode.TRY_AGAIN_LATER, reason);
    raw.terminate();
  }

  /** Resolve at once unless the backlog is above the high-water mark (wait for drain) or the cap (drop the peer). */
  private afterSend(raw: OwnedRawSocket): Promise<void> {
    this.counters.sent++;
    const buffered = raw.bufferedAmount;
    const options = this.options;
    if (buffered <= options.sendHighWaterBytes && buffered <= options.maxBufferedBytes) return RESOLVED;
    // The peer is not reading; waiting for its close frame would keep the backlog alive, so drop it now.
    if (buffered > options.maxBufferedBytes) return failed(this.overflowed('Send buffer limit exceeded'));
    if (!this.socket.writableNeedDrain) return RESOLVED; // below the socket's own mark: no 'drain' will come
    if (this.drain === null) {
      const drain = (this.drain = new DrainWaiters(options.sendTimeoutMs, () => {
        if (this.drain === drain) this.overflowed('Send timeout');
      }));
      this.socket.once('drain', () => {
        if (this.drain === drain) this.drain = null;
        drain.settle(null);
      });
    }
    return this.drain.wait();
  }
}
