/**
 * One WebSocket route's counters, kept in plain fields that every connection of the route increments (one integer
 * add per message) and `/metrics` reads at scrape time.
 */
export class WebSocketRouteCounters {
  /** Connections whose handshake completed and whose socket is still open. */
  open = 0;
  /** Messages received from clients. */
  received = 0;
  /** Messages sent to clients (`send*()` and rooms' fan-out). */
  sent = 0;
  /** Closes of accepted connections, by close code. */
  readonly closes = new Map<number, number>();

  constructor(
    /** The route's pattern, its `route` label. */
    readonly route: string,
  ) {}

  /** An accepted connection's socket closed with `code`. */
  closed(code: number): void {
    this.open -= 1;
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }
}

/** Where connections of a hub used without metrics (a hub of your own, say) count: nobody reads it. */
export const UNCOUNTED = new WebSocketRouteCounters('');
