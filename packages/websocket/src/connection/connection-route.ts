import type { ConnectionOwner } from './connection';
import type { WebSocketHandlerHooks } from './hooks';
import type { ResolvedWebSocketOptions } from './options';
import type { WebSocketRouteCounters } from '../metrics/route-counters';

/** What the connections of one route on one hub share: one field per connection instead of four. */
export interface ConnectionRoute {
  /** The hub. */
  readonly owner: ConnectionOwner;
  /** The route's resolved limits. */
  readonly options: ResolvedWebSocketOptions;
  /** The route's metrics counters (`UNCOUNTED` when nothing is counted). */
  readonly counters: WebSocketRouteCounters;
  /** The hooks passed to `WebSocketHub.handle()`. */
  readonly hooks: WebSocketHandlerHooks | undefined;
}

/** Past this many (counters, hooks) pairs for one options object, records are made per connection and not kept. */
const MAX_SHARED_PER_OPTIONS = 8;

/**
 * A hub's shared records, found by the route's options object (which the route keeps for its whole life) and then
 * by counters and hooks. A caller that passes new hooks on every `handle()` gets records that are not kept, so
 * nothing grows with the number of connections.
 */
export class ConnectionRoutes {
  readonly #byOptions = new WeakMap<ResolvedWebSocketOptions, ConnectionRoute[]>();

  constructor(private readonly owner: ConnectionOwner) {}

  /** The record for this route's options, counters and hooks. */
  get(options: ResolvedWebSocketOptions, counters: WebSocketRouteCounters, hooks: WebSocketHandlerHooks | undefined): ConnectionRoute {
    let shared = this.#byOptions.get(options);
    if (shared === undefined) this.#byOptions.set(options, (shared = []));
    for (const route of shared) if (route.counters === counters && route.hooks === hooks) return route;
    const route: ConnectionRoute = Object.freeze({ owner: this.owner, options, counters, hooks });
    if (shared.length < MAX_SHARED_PER_OPTIONS) shared.push(route);
    return route;
  }
}
