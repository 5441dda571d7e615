import { monotonicMs } from './clock';
import type { Connection } from './connection';

/** Shortest tick, so tiny test settings (a few ms) cannot turn the timer into a busy loop. */
const MIN_TICK_MS = 5;

/**
 * The one heartbeat timer of a hub. It ticks at half the smallest interval/timeout among the connections it
 * watches, so a ping goes out at most half an interval late and a dead peer is dropped at most half a timeout late;
 * each tick asks every connection to check itself (no timer per connection). The timer is unref'd and stops when
 * the hub has no connections left.
 */
export class HeartbeatTimer {
  private timer: NodeJS.Timeout | null = null;
  private tickMs = Infinity;

  constructor(private readonly connections: Iterable<Connection>) {}

  /** The running interval timer, or null while stopped. */
  get current(): NodeJS.Timeout | null {
    return this.timer;
  }

  /** Make sure connections with this interval and timeout are checked often enough (interval 0 = off). */
  watch(intervalMs: number, timeoutMs: number): void {
    if (intervalMs <= 0) return;
    const tickMs = Math.max(MIN_TICK_MS, Math.floor(Math.min(intervalMs, timeoutMs) / 2));
    if (this.timer !== null && tickMs >= this.tickMs) return;
    this.stop();
    this.tickMs = tickMs;
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  /** Stop ticking until the next `watch()`. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.tickMs = Infinity;
  }

  private tick(): void {
    const now = monotonicMs();
    for (const conn of this.connections) conn.heartbeat(now);
  }
}
