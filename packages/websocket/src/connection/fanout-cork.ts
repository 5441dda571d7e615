/**
 * Coalescing of room fan-out writes within one tick. The first broadcast a room gets in a tick is written to each
 * member's socket at once; from the second one on, a member's socket that has nothing queued is corked, so the
 * small frames of the rest of the tick collect in it and leave together (one `writev` per member) when the tick
 * ends, or as soon as FANOUT_CORK_BYTES (at most half of `max_buffered_bytes`) collected. Every write to a corked
 * socket waits the same way (direct sends, `ws`'s own frames), so each connection's order is kept; the delay is the
 * rest of the current tick. Under load, when a read brings several messages to broadcast, this turns N writes (and N
 * system calls) per member into one; a lone broadcast, a large frame or a socket with a backlog is written as before.
 */

/** The most a corked socket holds before it is flushed early: small, so `max_buffered_bytes` keeps its meaning. */
export const FANOUT_CORK_BYTES = 16 * 1024;

/** The socket calls the coalescing needs (a `net.Socket`'s). */
export interface CorkableSocket {
  readonly writableCorked: number;
  readonly writableLength: number;
  cork(): void;
  uncork(): void;
}

/** Bumped at the end of every tick in which rooms delivered something. */
let tick = 0;
let tickEndScheduled = false;
/** Sockets corked in this tick, uncorked when it ends (an early-flushed one is no longer corked: uncork is a no-op). */
let corked: CorkableSocket[] = [];

function endTick(): void {
  tickEndScheduled = false;
  tick += 1;
  const sockets = corked;
  corked = [];
  for (let i = 0; i < sockets.length; i += 1) {
    const socket = sockets[i] as CorkableSocket;
    if (socket.writableCorked !== 0) socket.uncork();
  }
}

/** The current tick's number, for a room to tell whether it already delivered in it. */
export function fanoutTick(): number {
  if (!tickEndScheduled) {
    tickEndScheduled = true;
    process.nextTick(endTick);
  }
  return tick;
}

/**
 * Before writing a `length`-byte frame: cork `socket` until the tick ends when it has nothing queued and the frame is
 * below `limit` bytes. Returns whether the frame goes into a socket this module corked (then call `flushPast`).
 */
export function corkForFrame(socket: CorkableSocket, length: number, limit: number): boolean {
  if (socket.writableCorked !== 0) return true;
  if (length >= limit || socket.writableLength !== 0) return false;
  socket.cork();
  corked.push(socket);
  return true;
}

/** After writing into a corked socket: flush it now once it holds `limit` bytes or more. */
export function flushPast(socket: CorkableSocket, limit: number): void {
  if (socket.writableLength >= limit) socket.uncork();
}
