// @serv/websocket/client: a small, dependency-free WebSocket client for browsers and Node that reconnects with
// exponential backoff and jitter and resumes rooms from the last offset it saw. Plain JavaScript (an ES module a page
// loads without a bundler); types are in serv-client.d.mts.

const STOP_CODES = new Set([1000, 1008]);

/** Connect to `url` and keep reconnecting until `close()`; see docs/history.md. */
export function connect(url, options = {}) {
  return new ServConnection(url, options);
}

/** One logical connection over any number of sockets. */
export class ServConnection {
  #url;
  #options;
  #socket = null;
  #attempt = 0;
  #timer = null;
  #queue = [];
  #waiting = [];
  #outbox = [];
  #closed = false;

  constructor(url, options = {}) {
    this.#url = String(url);
    this.#options = { minDelayMs: 250, maxDelayMs: 10_000, ...options };
    /** The last stored offset received (from `{"room","offset","epoch",...}` messages), or the `after` given. */
    this.lastOffset = options.after ?? null;
    /** The epoch of `lastOffset`, when known. */
    this.epoch = options.epoch ?? null;
    /** "connecting" | "open" | "reconnecting" | "closed". */
    this.state = 'connecting';
    void this.#open();
  }

  /** Send text now, or as soon as the connection is open again. */
  send(text) {
    if (this.#closed) throw new Error('ServConnection is closed');
    if (this.state === 'open' && this.#socket !== null) this.#socket.send(text);
    else this.#outbox.push(text);
  }

  /** Send `value` as JSON text. */
  sendJson(value) {
    this.send(JSON.stringify(value));
  }

  /** Close for good: no more reconnects; pending iterations end. */
  close(code = 1000, reason = '') {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket !== null && socket.readyState <= 1) socket.close(code, reason);
    this.#setState('closed');
    for (const resolve of this.#waiting.splice(0)) resolve({ value: undefined, done: true });
  }

  /** Every message (text as a string, binary as an ArrayBuffer or Buffer), across reconnects, until `close()`. */
  [Symbol.asyncIterator]() {
    return {
      next: () => {
        if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.#waiting.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.#options.onState?.(state);
  }

  #target() {
    const url = new URL(this.#url);
    if (this.lastOffset !== null) url.searchParams.set('after', String(this.lastOffset));
    if (this.epoch !== null) url.searchParams.set('epoch', this.epoch);
    return url.toString();
  }

  async #open() {
    let Impl = this.#options.WebSocket ?? globalThis.WebSocket;
    if (Impl === undefined) Impl = (await import('ws')).default; // Node 20 has no global WebSocket
    if (this.#closed) return;
    const socket = new Impl(this.#target(), this.#options.protocols);
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setState('open');
      for (const text of this.#outbox.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onerror = () => {}; // a close event follows; reconnecting is decided there
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed) return;
      if (STOP_CODES.has(event.code) || (event.code >= 4000 && event.code < 5000)) {
        this.close(event.code, event.reason);
        return;
      }
      this.#setState('reconnecting');
      const ceiling = Math.min(this.#options.maxDelayMs, this.#options.minDelayMs * 2 ** this.#attempt);
      this.#attempt += 1;
      // Full jitter over the upper half: clients dropped together do not come back together.
      this.#timer = setTimeout(() => void this.#open(), ceiling / 2 + Math.random() * (ceiling / 2));
    };
  }

  #receive(data) {
    if (typeof data === 'string' && data.startsWith('{"room":')) {
      try {
        const envelope = JSON.parse(data);
        if (Number.isInteger(envelope.offset)) {
          this.lastOffset = envelope.offset;
          this.epoch = envelope.epoch;
        }
      } catch {
        // Not an envelope after all: passed on as it is.
      }
    }
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter({ value: data, done: false });
    else this.#queue.push(data);
  }
}
