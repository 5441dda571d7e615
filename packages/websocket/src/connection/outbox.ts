import type { Duplex } from 'node:stream';
import { DrainWaiters } from './backpressure';
import { CloseCode } from './close-codes';
import { disconnectedError, WebSocketConnectionError } from './errors';
import { FrameType, WebSocketState } from './frame-type';
import { BINARY_FRAME, TEXT_FRAME, writeFrameDirect } from './frame-writer';
import { MessageInbox } from './inbox';
import type { ResolvedWebSocketOptions } from './options';
import type { OwnedRawSocket } from './raw-socket';

const OPEN = 1;
const BINARY_SEND = { binary: true } as const;
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
 * The sending half of a connection, plus the state both halves share: send text, bytes and JSON with
 * backpressure (`sendHighWaterBytes`) and a hard cap on the backlog (`maxBufferedBytes` → close 1013).
 */
export abstract class MessageOutbox extends MessageInbox {
  protected _state: WebSocketState = WebSocketState.CONNECTING;
  protected _raw: OwnedRawSocket | null = null;
  protected _closeCode: number | null = null;
  protected _closeReason: string | null = null;
  private _drain: DrainWaiters | null = null;

  protected constructor(
    options: ResolvedWebSocketOptions,
    protected readonly _socket: Duplex,
  ) {
    super(options);
  }

  /** CONNECTING until accepted, CONNECTED while open, DISCONNECTED once closed or refused. */
  get state(): WebSocketState {
    return this._state;
  }

  /** True while messages can be sent and received. */
  get isConnected(): boolean {
    return this._state === WebSocketState.CONNECTED && (this._raw as OwnedRawSocket).readyState === OPEN;
  }

  /** The close code once closed (ours if we closed first, the peer's otherwise, 1006 if dropped), else null. */
  get closeCode(): number | null {
    return this._closeCode;
  }

  /** The close reason once closed, else null. */
  get closeReason(): string | null {
    return this._closeReason;
  }

  /** Bytes queued for sending but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this._raw === null ? 0 : this._raw.bufferedAmount;
  }

  /**
   * Send a message: strings as text frames (binary when frameType is BINARY), bytes as binary frames. Resolves
   * once handed to the socket, or once it drains if more than `sendHighWaterBytes` are waiting.
   */
  send(data: string | Uint8Array): Promise<void> {
    const raw = this._raw;
    if (this._state !== WebSocketState.CONNECTED || raw === null || raw.readyState !== OPEN) {
      return failed(this._notActive());
    }
    if (typeof data === 'string') {
      if (this._opts.frameType === FrameType.BINARY) {
        if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data, BINARY_SEND);
      } else if (!writeFrameDirect(raw, TEXT_FRAME, data)) {
        raw.send(data);
      }
    } else if (data instanceof Uint8Array) {
      if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data);
    } else {
      return failed(new TypeError(`WebSocket data must be string or bytes, got ${describe(data)}`));
    }
    return this._afterSend(raw);
  }

  /** Send a text frame, whatever the frame type. */
  sendText(data: string): Promise<void> {
    const raw = this._raw;
    if (this._state !== WebSocketState.CONNECTED || raw === null || raw.readyState !== OPEN) {
      return failed(this._notActive());
    }
    if (typeof data !== 'string') {
      return failed(new TypeError(`WebSocket sendText() data must be a string, got ${describe(data)}`));
    }
    if (!writeFrameDirect(raw, TEXT_FRAME, data)) raw.send(data);
    return this._afterSend(raw);
  }

  /** Send a binary frame; a string is sent as its UTF-8 bytes. */
  sendBytes(data: Uint8Array | string): Promise<void> {
    const raw = this._raw;
    if (this._state !== WebSocketState.CONNECTED || raw === null || raw.readyState !== OPEN) {
      return failed(this._notActive());
    }
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      return failed(new TypeError(`WebSocket data must be string or bytes, got ${describe(data)}`));
    }
    if (!writeFrameDirect(raw, BINARY_FRAME, data)) raw.send(data, BINARY_SEND);
    return this._afterSend(raw);
  }

  /** Send `value` as JSON (a binary frame when frameType is BINARY); cyclic or BigInt values raise a TypeError. */
  sendJson(value: unknown): Promise<void> {
    if (!this.isConnected) return failed(this._notActive());
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

  /** Mark the connection closed with `code`/`reason` and wake whoever waits on it (readers, parked sends). */
  protected _markClosed(code: number, reason: string): void {
    this._state = WebSocketState.DISCONNECTED;
    this._closeCode = code;
    this._closeReason = reason;
    this._wakeReader();
    if (this._drain !== null) {
      this._drain.settle(this._notActive());
      this._drain = null;
    }
  }

  /** "WebSocket disconnected: <code> <reason>" for the way this connection closed. */
  protected _closedError(): WebSocketConnectionError {
    return disconnectedError(this._closeCode ?? CloseCode.ABNORMAL, this._closeReason ?? '');
  }

  /** "WebSocket connection is not active", with the close code and reason when there are some. */
  protected _notActive(): WebSocketConnectionError {
    return new WebSocketConnectionError('WebSocket connection is not active', {
      errorCode: 'SERV_WS_NOT_ACTIVE',
      code: this._closeCode ?? undefined,
      reason: this._closeReason ?? undefined,
    });
  }

  /** Resolve at once unless the backlog is above the high-water mark (wait for drain) or the cap (drop the peer). */
  private _afterSend(raw: OwnedRawSocket): Promise<void> {
    const buffered = raw.bufferedAmount;
    if (buffered <= this._opts.sendHighWaterBytes && buffered <= this._opts.maxBufferedBytes) return RESOLVED;
    if (buffered > this._opts.maxBufferedBytes) {
      // The peer is not reading; waiting for its close frame would keep the backlog alive, so drop it now.
      this._markClosed(CloseCode.TRY_AGAIN_LATER, 'Send buffer limit exceeded');
      raw.close(CloseCode.TRY_AGAIN_LATER, 'Send buffer limit exceeded');
      raw.terminate();
      return failed(this._closedError());
    }
    if (!this._socket.writableNeedDrain) return RESOLVED; // below the socket's own mark: no 'drain' will come
    if (this._drain === null) {
      const drain = (this._drain = new DrainWaiters());
      this._socket.once('drain', () => {
        if (this._drain === drain) this._drain = null;
        drain.settle(null);
      });
    }
    return this._drain.wait();
  }
}
