import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logging/logger';
import type { Protocol, ProtocolRuntime } from '../protocol/protocol';
import { rejectUpgrade } from '../protocol/reject-upgrade';
import type { App } from './app';

/** Hands each HTTP upgrade to the protocol named by its `Upgrade` header; the core itself knows no protocol. */
export class UpgradeDispatcher {
  private readonly runtimes = new Map<string, ProtocolRuntime>();
  private accepting = false;

  /** Start every protocol the app serves (once, at startup) and begin accepting upgrades. */
  attach(app: App, protocols: Iterable<Protocol>): void {
    for (const protocol of protocols) this.runtimes.set(protocol.upgrade, protocol.attach(app));
  }

  /** The running protocols (for their metrics and readiness hooks). */
  running(): ProtocolRuntime[] {
    return [...this.runtimes.values()];
  }

  /** Accept upgrades from now on (the app has started). */
  open(): void {
    this.accepting = true;
  }

  /** Route an upgrade request: 503 while not serving, 400 for a protocol nobody installed. */
  readonly handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const kind = (req.headers.upgrade ?? '').toLowerCase();
    if (!this.accepting) {
      rejectUpgrade(socket, 503, 'Server is shutting down');
      return;
    }
    const runtime = this.runtimes.get(kind);
    if (runtime === undefined) {
      rejectUpgrade(socket, 400, `Upgrade to "${kind}" is not supported`);
      return;
    }
    runtime.handleUpgrade(req, socket, head);
  };

  /** Refuse new upgrades and shut every protocol's connections down within `graceMs`. */
  async close(graceMs: number, logger: Logger): Promise<void> {
    this.accepting = false;
    await Promise.all([...this.runtimes.values()].map((r) => r.close(graceMs).catch((err: unknown) => logger.error('Protocol shutdown failed', err))));
  }
}
