/**
 * How a route treats message payloads: `TEXT` (the default) hands text frames to the handler as strings,
 * `BINARY` hands every message over as a `Buffer` and sends strings as binary frames.
 */
export const FrameType = {
  TEXT: 'text',
  BINARY: 'binary',
} as const;

/** One of the `FrameType` values: `'text'` or `'binary'`. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Where a connection is in its life: waiting for `accept()`, open, or closed (by either side or refused). */
export const WebSocketState = {
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  DISCONNECTED: 'disconnected',
} as const;

/** One of the `WebSocketState` values: `'connecting'`, `'connected'` or `'disconnected'`. */
export type WebSocketState = (typeof WebSocketState)[keyof typeof WebSocketState];
