/**
 * Sends parked until the socket drains. Allocated only for a connection that actually has to wait, so the common
 * path (`send()` resolved at once) keeps no per-connection state for it.
 */
export class DrainWaiters {
  private readonly waiters: [resolve: () => void, reject: (error: Error) => void][] = [];

  /** Park one send until `settle()`. */
  wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push([resolve, reject]));
  }

  /** Release every parked send: resolve when the socket drained (`error` null), reject when the connection closed. */
  settle(error: Error | null): void {
    for (const [resolve, reject] of this.waiters.splice(0)) {
      if (error === null) resolve();
      else reject(error);
    }
  }
}
