import { monotonicMs, type WebSocket } from './websocket';

/** Shortest tick, so tiny test settings (a few ms) cannot turn the timer into a busy loop. */
const MIN_TICK_MS = 5;

/**
 * The one heartbeat timer of a hub. It ticks at half the smallest interval/timeout among the connections it
 * watches, so a ping goes out at most half an interval late and a dead peer is dropped at most half a timeout late;
 * each tick asks every connection to check itself (no timer per connection). The timer is unref'd and stops when
 * the hub has no connections left.
 */
export class HeartbeatTimer {
  private _timer: NodeJS.Timeout | null = null;
  private _tickMs = Infinity;

  constructor(private readonly _connections: Iterable<WebSocket>) {}

  /** Make sure connections with this interval and timeout are checked often enough (interval 0 = off). */
  watch(intervalMs: number, timeoutMs: number): void {
    if (intervalMs <= 0) return;
    const tickMs = Math.max(MIN_TICK_MS, Math.floor(Math.min(intervalMs, timeoutMs) / 2));
    if (this._timer !== null && tickMs >= this._tickMs) return;
    this.stop();
    this._tickMs = tickMs;
    this._timer = setInterval(() => this._tick(), tickMs);
    this._timer.unref();
  }

  /** Stop ticking until the next `watch()`. */
  stop(): void {
    if (this._timer !== null) clearInterval(this._timer);
    this._timer = null;
    this._tickMs = Infinity;
  }

  private _tick(): void {
    const now = monotonicMs();
    for (const ws of this._connections) ws._heartbeat(now);
  }
}
