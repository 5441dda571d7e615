import type { WebSocket } from './websocket';

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
