import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { App } from '../app/app';
import type { RouteKeys, SettingSpec } from '../config/setting-spec';
import type { BaseContext } from '../http/base-context';
import type { MetricsSink } from '../metrics/metrics-sink';
import type { RouteRecord } from '../routing/route-record';
import type { TestSocketConnector } from '../testing/test-socket';

/** A running protocol inside one app: it answers upgrade requests and shuts its connections down. */
export interface ProtocolRuntime {
  /** Handle an HTTP upgrade request for this protocol. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Graceful shutdown: tell every connection, wait up to `graceMs`, then terminate the rest. */
  close(graceMs: number): Promise<void>;
  /** Add the protocol's metrics to the app's `/metrics`; called once at startup when `settings.metrics` is on. */
  registerMetrics?(sink: MetricsSink): void;
  /** What `/readyz` checks besides listening: each dependency by name (`broker`, `store`), true when reachable. */
  readiness?(): Promise<Record<string, boolean>>;
}

/**
 * A protocol package (such as `@serv/websocket`) plugged into the core: it owns everything about its protocol (its
 * settings keys, YAML route keys, option validation, upgrade handling and test connector); the core only routes,
 * injects and reads the tables it is given. A package registers itself with `registerProtocol()` when imported.
 */
export interface Protocol {
  /** The route kind it serves, e.g. `'websocket'`. */
  readonly kind: string;
  /** The `Upgrade` header value it answers (lower case), e.g. `'websocket'`. */
  readonly upgrade: string;
  /** The class decorator that declares its routes, named in errors, e.g. `'WebSocketRoute'`. */
  readonly decorator?: string;
  /** How `serv routes` labels its routes in the methods column, e.g. `'WS'` (default: the kind in capitals). */
  readonly routeLabel?: string;
  /** The keys it adds under `settings:` in serv.config.yaml, in documentation order. */
  readonly settings?: readonly SettingSpec[];
  /** Its YAML route keys (`websocket: true`, `frame_type`, limits …). */
  readonly routeKeys?: RouteKeys;
  /** Tokens injected per connection, with how to read each from the connection's context. */
  readonly scopedTokens: ReadonlyMap<unknown, (ctx: BaseContext) => unknown>;
  /** The arguments a plain-function handler is called with, e.g. `(ws, ctx)`. */
  functionArgs(ctx: BaseContext): unknown[];
  /** Validate a route's options and fill in the app's defaults; errors name `record.source`. */
  resolveOptions(record: RouteRecord, app: App): Record<string, unknown>;
  /** Start serving this protocol for `app` (called once, when the app starts). */
  attach(app: App): ProtocolRuntime;
  /** Opens a test connection for `TestClient` (`client.websocket()` for the WebSocket protocol). */
  readonly connectTest?: TestSocketConnector;
}
