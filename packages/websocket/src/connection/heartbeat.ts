import { hasUnfinishedMessage } from '../internals/ws-internals';
import { CloseCode } from './close-codes';
import { monotonicMs } from './clock';
import type { Connection } from './connection';
import * as S from './connection-state';
import type { OwnedRawSocket } from './raw-socket';

/** Shortest tick, so tiny test settings (a few ms) cannot turn the timer into a busy loop. */
const MIN_TICK_MS = 5;

/**
 * The one heartbeat timer of a hub. It ticks at half the smallest interval/timeout among the connections it
 * watches, so a ping goes out at most half an interval late and a dead peer is dropped at most half a timeout late;
 * each tick asks every connection to check itself (no timer per connection). The timer is unref'd and stops when
 * the hub has no connections left. The check itself is `checkConnection` below.
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
    for (const conn of this.connections) checkConnection(conn, now);
  }
}

/**
 * One connection's check on a tick: ping when `heartbeatIntervalMs` has passed, terminate a peer that stayed silent
 * for `heartbeatTimeoutMs` after a ping. Paused (backlogged) connections are skipped: the stall is ours.
 */
export function checkConnection(conn: Connection, now: number): void {
  const raw = conn.raw;
  if (raw === null || (conn.word & S.STATE_MASK) !== S.OPEN || conn.backlogged) return;
  if (conn.options.messageTimeoutMs > 0 && messageOverdue(conn, raw, now)) return;
  const interval = conn.options.heartbeatIntervalMs;
  if (interval === 0) return;
  if ((conn.word & S.PEER_SEEN) === 0) {
    if (now - conn.pingAt >= conn.options.heartbeatTimeoutMs) {
      conn.markClosed(CloseCode.ABNORMAL, 'Heartbeat timeout');
      raw.terminate();
    }
  } else if (now - conn.pingAt >= interval) {
    conn.word &= ~S.PEER_SEEN;
    conn.pingAt = now;
    raw.ping();
  }
}

/**
 * Close 1008 "Message timeout" when a message has stayed half received for `messageTimeoutMs` (checked on the
 * heartbeat tick, so it fires between 1 and 1.5 times the timeout): a peer cannot pin a partial message forever.
 */
function messageOverdue(conn: Connection, raw: OwnedRawSocket, now: number): boolean {
  if (!hasUnfinishedMessage(raw)) {
    conn.partialSince = 0;
    return false;
  }
  if (conn.partialSince === 0) {
    conn.partialSince = now;
    return false;
  }
  if (now - conn.partialSince < conn.options.messageTimeoutMs) return false;
  conn.markClosed(CloseCode.POLICY_VIOLATION, 'Message timeout');
  raw.close(CloseCode.POLICY_VIOLATION, 'Message timeout');
  raw.terminate();
  return true;
}
