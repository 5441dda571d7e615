/** Options of `client.websocket()`. */
export interface TestWebSocketOptions {
  headers?: Record<string, string>;
  subprotocols?: string[];
  /** Answer pings automatically (default true); false simulates a dead peer. */
  autoPong?: boolean;
  /** Offer permessage-deflate (default false). */
  perMessageDeflate?: boolean;
}

/** The test side of a WebSocket connection (implemented by `@serv/websocket`). */
export interface TestSocket {
  send(data: string | Uint8Array): Promise<void>;
  sendJson(value: unknown): Promise<void>;
  receive(): Promise<string | Buffer>;
  receiveText(): Promise<string>;
  receiveBytes(): Promise<Buffer>;
  receiveJson<T = unknown>(): Promise<T>;
  /** Close (1000 by default) and resolve with the close code and reason the server answered. */
  close(code?: number, reason?: string): Promise<{ code: number; reason: string }>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The close code, once closed (null before). */
  readonly closeCode: number | null;
  readonly closeReason: string | null;
  /** The subprotocol the server accepted, or null. */
  readonly subprotocol: string | null;
}

/** How a protocol package connects a test socket. */
export type TestSocketConnector = (url: string, options: TestWebSocketOptions) => Promise<TestSocket>;
