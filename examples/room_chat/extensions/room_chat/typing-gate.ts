import { Injectable } from '@serv/core';

/**
 * Decides which "is typing" events are broadcast: at most one per user per room per interval (app-wide, so two tabs
 * of one user count together), and again right after the user's message (which ended their typing on every page).
 * Events in between are dropped silently: they carry nothing new.
 */
@Injectable()
export class TypingGate {
  readonly #last = new Map<string, number>();

  /** Whether `user`'s typing event in `room` should go out now (and, if so, remembers it). */
  pass(room: string, user: string, intervalMs: number, now = Date.now()): boolean {
    const key = `${room}\n${user}`;
    const last = this.#last.get(key);
    if (last !== undefined && now - last < intervalMs) return false;
    if (this.#last.size >= 10_000) this.#sweep(now, intervalMs);
    this.#last.set(key, now);
    return true;
  }

  /** `user` sent a message in `room`: that ends their typing, so their next typing event goes out at once. */
  clear(room: string, user: string): void {
    this.#last.delete(`${room}\n${user}`);
  }

  #sweep(now: number, intervalMs: number): void {
    for (const [key, at] of this.#last) if (now - at >= intervalMs) this.#last.delete(key);
  }
}

/** Counts one socket's typing events per second, to tell a flooding client (not to throttle: the gate does that). */
export class FloodMeter {
  #windowStart = 0;
  #count = 0;
  #warnedAt = -Infinity;

  constructor(private readonly perSecond: number) {}

  /** Counts an event; true when the socket is over the limit and has not been told in the last second. */
  overLimit(now = Date.now()): boolean {
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count += 1;
    if (this.#count <= this.perSecond || now - this.#warnedAt < 1000) return false;
    this.#warnedAt = now;
    return true;
  }
}
