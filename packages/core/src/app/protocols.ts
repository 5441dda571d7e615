import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { BaseContext } from '../http/base-context';
import type { RouteRecord } from '../routing/route-record';
import type { App } from './app';

/** A running protocol inside one app: it answers upgrade requests and shuts its connections down. */
export interface ProtocolRuntime {
  /** Handle an HTTP upgrade request for this protocol. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Graceful shutdown: tell every connection, wait up to `graceMs`, then terminate the rest. */
  close(graceMs: number): Promise<void>;
}

/** A protocol package (such as `@serv/websocket`) plugged into the core's routing and injection. */
export interface Protocol {
  /** The route kind it serves, e.g. `'websocket'`. */
  readonly kind: string;
  /** The `Upgrade` header value it answers (lower case), e.g. `'websocket'`. */
  readonly upgrade: string;
  /** Tokens injected per connection, with how to read each from the connection's context. */
  readonly scopedTokens: ReadonlyMap<unknown, (ctx: BaseContext) => unknown>;
  /** The arguments a plain-function handler is called with, e.g. `(ws, ctx)`. */
  functionArgs(ctx: BaseContext): unknown[];
  /** Validate a route's options and fill in the app's defaults; errors name `record.source`. */
  resolveOptions(record: RouteRecord, app: App): Record<string, unknown>;
  /** Start serving this protocol for `app` (called once, when the app starts). */
  attach(app: App): ProtocolRuntime;
}

const registry = new Map<string, Protocol>();

/** Make a protocol available to every app; protocol packages call this when imported. */
export function registerProtocol(protocol: Protocol): void {
  registry.set(protocol.kind, protocol);
}

/** The protocol serving `kind`; for `'websocket'` it loads `@serv/websocket` on demand. */
export function getProtocol(kind: string): Protocol | undefined {
  if (!registry.has(kind) && kind === 'websocket') {
    try {
      require('@serv/websocket');
    } catch {
      return undefined;
    }
  }
  return registry.get(kind);
}

/** Every registered protocol. */
export function registeredProtocols(): Protocol[] {
  return [...registry.values()];
}
