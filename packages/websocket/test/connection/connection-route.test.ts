import type { ConnectionOwner } from '../../src/connection/connection';
import { ConnectionRoutes } from '../../src/connection/connection-route';
import { resolveWebSocketOptions } from '../../src/connection/options';
import { UNCOUNTED, WebSocketRouteCounters } from '../../src/metrics/route-counters';

const owner: ConnectionOwner = {
  serverFor: () => {
    throw new Error('not used');
  },
  opened: () => undefined,
  settled: () => undefined,
  debug: () => undefined,
  error: () => undefined,
};

describe('ConnectionRoutes', () => {
  it('hands every connection of a route the same record, with the hub as owner', () => {
    const routes = new ConnectionRoutes(owner);
    const options = resolveWebSocketOptions({});
    const hooks = { onEnd: () => undefined };
    const first = routes.get(options, UNCOUNTED, hooks);
    expect(routes.get(options, UNCOUNTED, hooks)).toBe(first);
    expect(first).toEqual({ owner, options, counters: UNCOUNTED, hooks });
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps routes apart by options, counters and hooks', () => {
    const routes = new ConnectionRoutes(owner);
    const options = resolveWebSocketOptions({});
    const counters = new WebSocketRouteCounters('/ws');
    const base = routes.get(options, counters, undefined);
    expect(routes.get(resolveWebSocketOptions({}), counters, undefined)).not.toBe(base);
    expect(routes.get(options, UNCOUNTED, undefined)).not.toBe(base);
    expect(routes.get(options, counters, {})).not.toBe(base);
    expect(routes.get(options, counters, undefined)).toBe(base);
  });

  it('does not keep a record per call for a caller that passes new hooks every time', () => {
    const routes = new ConnectionRoutes(owner);
    const options = resolveWebSocketOptions({});
    const kept = Array.from({ length: 8 }, () => {
      const hooks = {};
      return [hooks, routes.get(options, UNCOUNTED, hooks)] as const;
    });
    // The ninth and later pairs get a record each time (nothing is stored for them)...
    const late = {};
    const a = routes.get(options, UNCOUNTED, late);
    const b = routes.get(options, UNCOUNTED, late);
    expect(a).not.toBe(b);
    expect(b.hooks).toBe(late);
    // ...while the first eight are still shared.
    for (const [hooks, record] of kept) expect(routes.get(options, UNCOUNTED, hooks)).toBe(record);
  });
});
