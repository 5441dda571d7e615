import type { WebSocket, WebSocketClient } from './websocket';

/** Where the hub reports: `debug` lines only when the hub's `debug` option is on; `error` always. */
export interface WebSocketLog {
  debug(message: string): void;
  error(message: string, error?: unknown): void;
}

/** How a connection ended, reported once its handler settled and its socket closed. */
export interface WebSocketEndInfo {
  readonly code: number;
  readonly reason: string;
  readonly durationMs: number;
  /** What the handler threw, if it did. */
  readonly error?: unknown;
}

/** Callbacks around one connection's life (the integration layer disposes its DI scope in `onEnd`). */
export interface WebSocketHandlerHooks {
  /** The socket closed (the handler may still be running). */
  onClose?(ws: WebSocket): void;
  onEnd?(ws: WebSocket, info: WebSocketEndInfo): void;
}

/** Runs the route handler for one connection. */
export type WebSocketRunner = (ws: WebSocket) => Promise<void> | void;

/** Where a handshake came from, as the app resolved it (`trust_proxy`), and its request id. */
export interface WebSocketOrigin {
  /** The client's address (counted by `maxConnectionsPerIp`, shown as `ws.client`); absent: the TCP peer's. */
  readonly client?: WebSocketClient;
  /** The scheme the client used for the handshake. */
  readonly scheme: 'http' | 'https';
  /** The host the client asked for. */
  readonly host: string;
  /**
   * Sent as `x-request-id` on the 101 response; '' sends none. A number n stands for the app's n-th generated id
   * (`requestIdOf(n)`): the connection keeps the small integer and builds the text when it is asked for.
   */
  readonly requestId: string | number;
}
