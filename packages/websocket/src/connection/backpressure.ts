/**
 * Sends parked until the socket drains. Allocated only for a connection that actually has to wait, so the common
 * path (`send()` resolved at once) keeps no per-connection state for it.
 */
export class DrainWaiters {
  private readonly waiters: [resolve: () => void, reject: (error: Error) => void][] = [];
  private readonly timer: NodeJS.Timeout | null;

  /**
   * Start waiting; when `timeoutMs` (> 0) passes before the socket drains, `onTimeout` runs (the connection closes
   * 1013 and is terminated, which settles the waiters): a peer that stopped reading cannot hold a handler forever.
   */
  constructor(timeoutMs: number, onTimeout: () => void) {
    this.timer = timeoutMs > 0 ? setTimeout(onTimeout, timeoutMs) : null;
    this.timer?.unref();
  }

  /** Park one send until `settle()`. */
  wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push([resolve, reject]));
  }

  /** Release every parked send: resolve when the socket drained (`error` null), reject when the connection closed. */
  settle(error: Error | null): void {
    if (this.timer !== null) clearTimeout(this.timer);
    for (const [resolve, reject] of this.waiters.splice(0)) {
      if (error === null) resolve();
      else reject(error);
    }
  }
}
