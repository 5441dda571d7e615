import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServSettings } from '../config/serv-settings';
import { ServError } from '../errors/serv-error';
import type { Logger } from '../logging/logger';
import type { ListenAddress } from './app-options';
import { applyHttpTimeouts } from './http-timeouts';

/** What the host hands connections to. */
export interface HostHandlers {
  readonly request: (req: IncomingMessage, res: ServerResponse) => void;
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * The app's Node server: HTTP or HTTPS (from `settings.tls`), listening, its address, and the drain on shutdown.
 * Requests in flight are counted here so that shutdown can wait for them.
 */
export class ServerHost {
  private server: Server | undefined;
  private inFlight = 0;
  private onDrained: (() => void) | undefined;

  constructor(
    private readonly settings: ServSettings,
    private readonly logger: Logger,
  ) {}

  /** Whether `listen()` was called (and has not failed). */
  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Create the server and bind it; a bind failure is a SERV_LISTEN error naming the address. */
  async listen(handlers: HostHandlers, host: string, port: number): Promise<void> {
    const server = this.createServer(handlers);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(new ServError('SERV_LISTEN', `Cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    }).catch((err: unknown) => {
      this.server = undefined;
      throw err;
    });
    server.on('error', (err) => this.logger.error('Server error', err));
  }

  /** Where the server listens, once it does. */
  get address(): ListenAddress | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (a === undefined || a === null) return undefined;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return { host: a.address, port: a.port, url: `${this.settings.tls === undefined ? 'http' : 'https'}://${host}:${a.port}` };
  }

  /** A request began; pair with `requestFinished()`. */
  requestStarted(): void {
    this.inFlight++;
  }

  /** A request is answered (or abandoned). */
  requestFinished(): void {
    if (--this.inFlight === 0) this.onDrained?.();
  }

  /**
   * Stop accepting connections; `beforeDrain` runs at once (protocols close their connections meanwhile), then idle
   * keep-alive connections close, in-flight requests get up to `graceMs`, and whatever is left is cut.
   */
  async close(graceMs: number, beforeDrain: () => Promise<void>): Promise<void> {
    const server = this.server;
    const closed = server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    await beforeDrain();
    if (server !== undefined) {
      server.closeIdleConnections();
      if (this.inFlight > 0) await this.drain(graceMs);
      server.closeAllConnections();
    }
    await closed;
  }

  private createServer(handlers: HostHandlers): Server {
    const tls = this.settings.tls;
    const server: Server =
      tls === undefined
        ? createHttpServer(handlers.request)
        : (createHttpsServer({ cert: readTlsFile(tls.certFile, 'cert_file'), key: readTlsFile(tls.keyFile, 'key_file') }, handlers.request) as unknown as Server);
    applyHttpTimeouts(server, this.settings);
    server.on('upgrade', handlers.upgrade);
    return server;
  }

  /** Resolves when the last in-flight request finished, or after `graceMs`, whichever comes first. */
  private drain(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.onDrained = undefined;
        resolve();
      };
      const timer = setTimeout(done, graceMs);
      timer.unref();
      this.onDrained = done;
    });
  }
}

function readTlsFile(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ServError('SERV_LISTEN', `settings.tls.${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point it at a PEM file`, { cause: err });
  }
}
