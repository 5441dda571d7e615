/** Stable machine-readable identifiers of the WebSocket layer's own failures. */
export type WebSocketErrorCode =
  | 'SERV_WS_ERROR'
  | 'SERV_WS_NOT_ACTIVE'
  | 'SERV_WS_ALREADY_ESTABLISHED'
  | 'SERV_WS_DISCONNECTED'
  | 'SERV_WS_INVALID_JSON'
  | 'SERV_WS_SUBPROTOCOL'
  | 'SERV_WS_CONCURRENT_RECEIVE';

/** Base class of every error the WebSocket layer raises; `errorCode` is stable, the message is for people. */
export class WebSocketError extends Error {
  /** Stable identifier of what went wrong (the close code, where there is one, lives on `WebSocketConnectionError`). */
  readonly errorCode: WebSocketErrorCode;

  constructor(message: string, options?: { errorCode?: WebSocketErrorCode; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.errorCode = options?.errorCode ?? 'SERV_WS_ERROR';
  }
}

/**
 * The connection is not usable: not accepted yet, already accepted, or closed. `code` and `reason` are the
 * WebSocket close code and reason when the connection was closed (e.g. 1000 / '' or 1006 for a dropped peer).
 */
export class WebSocketConnectionError extends WebSocketError {
  /** The close code of the connection, when it was closed; undefined for "not active" / "already established". */
  readonly code?: number;
  /** The close reason of the connection, when it was closed. */
  readonly reason?: string;

  constructor(
    message: string,
    options?: { errorCode?: WebSocketErrorCode; code?: number; reason?: string; cause?: unknown },
  ) {
    super(message, { errorCode: options?.errorCode ?? 'SERV_WS_NOT_ACTIVE', cause: options?.cause });
    if (options?.code !== undefined) this.code = options.code;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/** The error a closed connection raises from `receive()`/`send()`: "WebSocket disconnected: <code> <reason>". */
export function disconnectedError(code: number, reason: string): WebSocketConnectionError {
  return new WebSocketConnectionError(`WebSocket disconnected: ${code} ${reason}`, {
    errorCode: 'SERV_WS_DISCONNECTED',
    code,
    reason,
  });
}

/** Added to "not active" before accept(): the fix for a handler that sends or receives first. */
const NOT_ACCEPTED_HINT = ': call `await ws.accept()` first';

/**
 * "WebSocket connection is not active", with the close code and reason when there are some; before the handshake
 * (no close code yet) it adds what to do, since a handler that sends first is the usual cause.
 */
export function notActiveError(code: number | null, reason: string | null): WebSocketConnectionError {
  return new WebSocketConnectionError(`WebSocket connection is not active${code === null ? NOT_ACCEPTED_HINT : ''}`, {
    errorCode: 'SERV_WS_NOT_ACTIVE',
    code: code ?? undefined,
    reason: reason ?? undefined,
  });
}
