import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tcpConnect, type Socket } from 'node:net';
import {
  resolveWebSocketOptions,
  WebSocketHub,
  type WebSocketHandlerHooks,
  type WebSocketHubOptions,
  type WebSocketOptionsInput,
  type WebSocketRunner,
  type WebSocket,
} from '../../src/connection';
import { connectTestWebSocket, type TestWebSocket, type TestWebSocketOptions } from '../../src/testing';

/** A test route: its limit overrides, its handler and optional hooks. */
export interface TestRoute {
  options?: WebSocketOptionsInput;
  run: WebSocketRunner;
  hooks?: WebSocketHandlerHooks;
  /** Runs on the raw socket right before `hub.handle()` (e.g. to simulate a client that is already gone). */
  beforeHandle?: (socket: Duplex) => void;
}

/** Log lines the hub wrote, for assertions. */
export interface CapturedLog {
  debug: string[];
  error: { message: string; error: unknown }[];
}

/** A promise plus its resolve/reject, to wait on events from inside handlers. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Create a Deferred. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A plain http server on 127.0.0.1:0 whose 'upgrade' event goes straight to a hub (no core involved). */
export class Harness {
  readonly routes = new Map<string, TestRoute>();
  readonly log: CapturedLog = { debug: [], error: [] };
  readonly hub: WebSocketHub;
  private readonly _server: Server;
  private readonly _clients: TestWebSocket[] = [];
  private readonly _sockets: Socket[] = [];

  private constructor(hubOptions: WebSocketHubOptions) {
    this.hub = new WebSocketHub({
      log: {
        debug: (message) => this.log.debug.push(message),
        error: (message, error) => this.log.error.push({ message, error }),
      },
      ...hubOptions,
    });
    this._server = createServer((_req, res) => res.end('not a websocket'));
    this._server.on('upgrade', (req, socket, head: Buffer) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const route = this.routes.get(path);
      if (route === undefined) {
        this.hub.reject(socket, 403, `No WebSocket route matches ${path}`);
        return;
      }
      route.beforeHandle?.(socket);
      const options = resolveWebSocketOptions({}, route.options);
      this.hub.handle(req, socket, head, { options, params: {} }, route.run, route.hooks);
    });
  }

  /** Start a harness with the given hub options. */
  static async start(hubOptions: WebSocketHubOptions = {}): Promise<Harness> {
    const harness = new Harness(hubOptions);
    harness._server.listen(0, '127.0.0.1');
    await once(harness._server, 'listening');
    return harness;
  }

  /** The port the server listens on. */
  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  /** `ws://127.0.0.1:<port><path>`. */
  url(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  /** Connect a test client (closed in `stop()`). */
  async connect(path: string, options?: TestWebSocketOptions): Promise<TestWebSocket> {
    const client = await connectTestWebSocket(this.url(path), options);
    this._clients.push(client);
    return client;
  }

  /** A raw TCP socket to the server (destroyed in `stop()`). */
  async tcp(): Promise<Socket> {
    const socket = tcpConnect(this.port, '127.0.0.1');
    this._sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  }

  /** Terminate every client, shut the hub down and close the server. */
  async stop(): Promise<void> {
    await Promise.all(this._clients.map((client) => client.terminate()));
    for (const socket of this._sockets) socket.destroy();
    await this.hub.close(0);
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}

/**
 * Perform a WebSocket handshake by hand over raw TCP; resolves with the response head once it is read, leaving the
 * socket paused (it reads nothing more unless the caller resumes it).
 */
export async function rawHandshake(socket: Socket, path: string, extraHeaders = ''): Promise<string> {
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`,
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    head += chunk.toString('latin1');
  }
  socket.pause();
  return head.slice(0, head.indexOf('\r\n\r\n'));
}

/**
 * Register a route whose handler hands its WebSocket to the test and then waits until `release()`, so a test can
 * drive the server side directly.
 */
export function captureRoute(
  harness: Harness,
  path: string,
  options?: WebSocketOptionsInput,
  hooks?: WebSocketHandlerHooks,
): { next(): Promise<WebSocket>; release(): void } {
  const waiting: Deferred<WebSocket>[] = [];
  const arrived: WebSocket[] = [];
  const released = deferred();
  harness.routes.set(path, {
    options,
    hooks,
    run: async (ws) => {
      const waiter = waiting.shift();
      if (waiter !== undefined) waiter.resolve(ws);
      else arrived.push(ws);
      await released.promise;
    },
  });
  return {
    next: () => {
      const ws = arrived.shift();
      if (ws !== undefined) return Promise.resolve(ws);
      const waiter = deferred<WebSocket>();
      waiting.push(waiter);
      return waiter.promise;
    },
    release: () => released.resolve(),
  };
}
