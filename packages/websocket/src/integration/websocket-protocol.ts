import {
  parseRequestTarget, rejectUpgrade, RouteDefinitionError, type App, type BaseContext, type Protocol, type ProtocolRuntime, type RouteRecord,
  type ServSettings,
} from '@serv/core';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketHub, type WebSocketEndInfo, type WebSocketHandlerHooks, type WebSocketOrigin } from '../connection/hub';
import { resolveWebSocketOptions, type ResolvedWebSocketOptions } from '../connection/options';
import { splitRequestTarget } from '../connection/request-info';
import { connectionOf, WebSocket } from '../connection/websocket';
import { WebSocketRouteCounters } from '../metrics/route-counters';
import { registerWebSocketMetrics } from '../metrics/websocket-metrics';
import { appRooms } from '../rooms/app-rooms';
import { APP_SETTING_DEFAULTS, WEBSOCKET_ROUTE_KEYS, WEBSOCKET_SETTINGS } from '../settings/websocket-settings';
import { connectTestWebSocket } from '../testing/test-websocket';
import { ConnectionContext } from './connection-context';

const BEGIN = 'app.websocket.begin';
const END = 'app.websocket.end';

function attach(app: App): ProtocolRuntime {
  // An app created before this package was imported has no WebSocket settings: the table's defaults stand in.
  const s = { ...APP_SETTING_DEFAULTS, ...app.settings } as ServSettings;
  const hub = new WebSocketHub({
    maxConnections: s.maxConnections,
    perMessageDeflate: s.permessageDeflate,
    heartbeatIntervalMs: s.heartbeatIntervalMs,
    heartbeatTimeoutMs: s.heartbeatTimeoutMs,
    maxConnectionsPerIp: s.maxConnectionsPerIp,
    log: { debug: (m) => app.logger.debug(m), error: (m, e) => app.logger.error(m, e) },
    debug: s.debug,
  });
  const rooms = appRooms(app);
  // Every route is listed from the start (at zero), so dashboards see it before its first connection.
  const counters = new Map<RouteRecord, WebSocketRouteCounters>(app.routes.ofKind('websocket').map((r) => [r, new WebSocketRouteCounters(r.path)]));
  app.on('app.startup', () => rooms._start());
  // One hooks object per app, not per connection: the connection's context lives on the connection itself.
  const hooks: WebSocketHandlerHooks = {
    onClose: (ws) => rooms._connectionClosed(ws),
    onEnd(ws, info) {
      const c = ws._scope as ConnectionContext | undefined;
      ws._scope = undefined;
      if (c !== undefined) logClose(app, ws, info);
      if (c !== undefined) void c.dispose().catch((err: unknown) => app.logger.error('Disposing the connection container failed', err));
      if (app.hasListeners(END)) {
        app.emit(END, { app, ws, ctx: c, ...info }).catch((err: unknown) => app.logger.error(`${END} listener failed`, err));
      }
    },
  };
  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      // The request target is split once, here; the connection keeps the parts.
      const checked = parseRequestTarget(req.url ?? '/');
      if ('error' in checked) {
        rejectUpgrade(socket, 400, checked.error);
        return;
      }
      const target = splitRequestTarget(req.url ?? '/');
      const path = checked.path;
      const match = app.routes.matchProtocol('websocket', path);
      if (match === null) {
        rejectUpgrade(socket, 403, `No WebSocket route matches ${path}`);
        return;
      }
      const { route, params } = match;
      const invoke = app.invokerFor(route);
      const origin = originOf(app, req);
      hub.handle(
        req,
        socket,
        head,
        { options: route.options as unknown as ResolvedWebSocketOptions, params, target, origin, counters: counters.get(route) },
        (ws) => {
          // Not an async function, and called right away: nothing of this closure outlives the call.
          const c = new ConnectionContext(app, ws);
          ws._scope = c;
          c.settings = route.settings;
          if (app.hasListeners(BEGIN)) return app.emit(BEGIN, { app, ws, ctx: c }).then(() => invoke(c) as Promise<void>);
          return invoke(c) as Promise<void> | void;
        },
        hooks,
      );
    },
    close: (graceMs) => hub.close(graceMs).then(() => rooms._close()),
    registerMetrics: (sink) => registerWebSocketMetrics(sink, counters, rooms),
    readiness: () => rooms._readiness(),
  };
}

/**
 * The handshake's request id, and — when `trust_proxy` is on — the client, scheme and host from forwarded headers.
 * With it off, the connection reads its peer from the socket handle (cheaper to keep than `socket.remoteAddress`).
 */
function originOf(app: App, req: IncomingMessage): WebSocketOrigin {
  // A generated id is kept as its counter (a small integer in the connection's field, not a string per connection).
  const seq = app.requestLog.seqOf(req);
  const requestId = seq === 0 ? app.requestLog.idFor(req, 0) : seq;
  if (app.proxyTrust.enabled) return { ...app.proxyTrust.resolve(req), requestId };
  const scheme = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  return { scheme, host: req.headers.host ?? '', requestId };
}

/** The info line of a finished connection (unless its path is excluded from the request log). */
function logClose(app: App, ws: WebSocket, info: WebSocketEndInfo): void {
  if (app.requestLog.excludedPaths.has(ws.path) || !app.logger.enabled('info')) return;
  app.logger.log('info', 'websocket closed', {
    reqId: ws.requestId,
    path: ws.path,
    route: connectionOf(ws).counters.route,
    code: info.code,
    reason: info.reason,
    durationMs: info.durationMs,
    accepted: connectionOf(ws).wasOpen,
    client: ws.client.host,
  });
}

/**
 * `@serv/websocket` plugged into the core: its settings and YAML route keys, routing and injection of the
 * `WebSocket`, limits, upgrades and the test client. Importing the package registers it.
 */
export const websocketProtocol: Protocol & { connectTest: typeof connectTestWebSocket } = {
  kind: 'websocket',
  upgrade: 'websocket',
  scopedTokens: new Map<unknown, (ctx: BaseContext) => unknown>([
    [WebSocket, (ctx) => (ctx as ConnectionContext).ws],
    [ConnectionContext, (ctx) => ctx],
  ]),
  functionArgs: (ctx) => [(ctx as ConnectionContext).ws, ctx],
  decorator: 'WebSocketRoute',
  routeLabel: 'WS',
  settings: WEBSOCKET_SETTINGS,
  routeKeys: WEBSOCKET_ROUTE_KEYS,
  resolveOptions(record: RouteRecord, app: App): Record<string, unknown> {
    const s = { ...APP_SETTING_DEFAULTS, ...app.settings } as ServSettings;
    try {
      const appLevel = { ...s, origins: s.origins.length > 0 ? s.origins : undefined };
      const route = { ...record.options } as Record<string, unknown>;
      if (Array.isArray(route.origins) && route.origins.length === 0) delete route.origins;
      return resolveWebSocketOptions(appLevel, route) as unknown as Record<string, unknown>;
    } catch (err) {
      throw new RouteDefinitionError(`${record.source}: ${(err as Error).message}`);
    }
  },
  attach,
  connectTest: connectTestWebSocket,
};
