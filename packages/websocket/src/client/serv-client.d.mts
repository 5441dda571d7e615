/** Options of `connect()`. */
export interface ConnectOptions {
  /** Resume after this offset (sent as the `after` query parameter). */
  after?: number;
  /** The epoch `after` belongs to (sent as `epoch`). */
  epoch?: string;
  /** WebSocket subprotocols to offer. */
  protocols?: string | string[];
  /** First reconnect delay ceiling in ms (doubles each attempt, jittered). Default 250. */
  minDelayMs?: number;
  /** Largest reconnect delay in ms. Default 10000. */
  maxDelayMs?: number;
  /** Called on every state change. */
  onState?: (state: ConnectionState) => void;
  /** A WebSocket implementation; default the global one, else the `ws` package (Node 20). */
  WebSocket?: unknown;
}

/** Where a connection stands. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One logical connection that reconnects and resumes from the last offset it saw. */
export declare class ServConnection implements AsyncIterable<string | ArrayBuffer> {
  constructor(url: string | URL, options?: ConnectOptions);
  /** The last stored offset received, or null. */
  lastOffset: number | null;
  /** The epoch of `lastOffset`, or null. */
  epoch: string | null;
  /** The current state. */
  state: ConnectionState;
  /** Send text now or once reconnected. */
  send(text: string): void;
  /** Send a value as JSON text. */
  sendJson(value: unknown): void;
  /** Close for good. */
  close(code?: number, reason?: string): void;
  [Symbol.asyncIterator](): AsyncIterator<string | ArrayBuffer>;
}

/** Connect to `url` and keep reconnecting until `close()`. */
export declare function connect(url: string | URL, options?: ConnectOptions): ServConnection;
