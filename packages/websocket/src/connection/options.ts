import { checkRouteOption, ROUTE_OPTION_DEFAULTS, ROUTE_OPTION_FIELDS } from '../settings/websocket-settings';
import type { FrameType } from './frame-type';

/** The per-route WebSocket limits after app settings and route overrides are merged (sizes in bytes, times in ms). */
export interface ResolvedWebSocketOptions {
  /** How payloads are handed to the handler and how `send(string)` goes out. */
  readonly frameType: FrameType;
  /** Largest message accepted; a bigger one closes the connection with 1009. */
  readonly maxMessageBytes: number;
  /** Messages allowed per `rateLimitIntervalMs` window (0 = no limit); one more closes with 1008. */
  readonly rateLimitMessages: number;
  /** Length of the fixed rate-limit window. */
  readonly rateLimitIntervalMs: number;
  /** How often the server pings each connection (0 = no heartbeat). */
  readonly heartbeatIntervalMs: number;
  /** How long after a ping a silent peer is given before it is terminated. */
  readonly heartbeatTimeoutMs: number;
  /** `send()` waits for the socket to drain while more than this many bytes are buffered. */
  readonly sendHighWaterBytes: number;
  /** A connection whose unsent backlog passes this is closed with 1013 and terminated. */
  readonly maxBufferedBytes: number;
  /** A `send()` that cannot hand its data to the socket for this long closes the connection with 1013 (0 = never). */
  readonly sendTimeoutMs: number;
  /** A message (fragmented or one slow frame) unfinished for this long closes the connection with 1008 (0 = never). */
  readonly messageTimeoutMs: number;
  /** Allowed `Origin` header values for the handshake; empty means any origin. */
  readonly origins: readonly string[];
}

/** The defaults from the one settings table: 1 MiB messages, 1000 messages/s, 30 s heartbeat with 10 s timeout, 1/8 MiB send buffers. */
export const DEFAULT_WEBSOCKET_OPTIONS: ResolvedWebSocketOptions = Object.freeze({
  ...ROUTE_OPTION_DEFAULTS,
  origins: Object.freeze([]) as readonly string[],
}) as unknown as ResolvedWebSocketOptions;

/** Any subset of the options, as app settings or route overrides supply them (undefined = not set). */
export type WebSocketOptionsInput = { readonly [K in keyof ResolvedWebSocketOptions]?: ResolvedWebSocketOptions[K] | undefined };

/**
 * Merge defaults, app-wide settings and route overrides (later wins; undefined and unknown keys are skipped) into
 * frozen options, validating every value; the result is shared by every connection of the route.
 * @example resolveWebSocketOptions({ maxMessageBytes: 65536 }, { frameType: FrameType.BINARY })
 */
export function resolveWebSocketOptions(
  app: WebSocketOptionsInput = {},
  route: WebSocketOptionsInput = {},
): ResolvedWebSocketOptions {
  const merged: Record<string, unknown> = { ...DEFAULT_WEBSOCKET_OPTIONS };
  for (const source of [app, route]) {
    // Only the known keys are read, so a whole app-settings object can be passed as `app`.
    for (const key of ROUTE_OPTION_FIELDS as (keyof ResolvedWebSocketOptions)[]) {
      const value: unknown = source[key];
      if (value === undefined) continue;
      const expected = checkRouteOption(key, value);
      if (expected !== null) {
        throw new TypeError(`WebSocket option ${key} must be ${expected}, got ${JSON.stringify(value)}`);
      }
      merged[key] = value;
    }
  }
  merged.origins = Object.freeze([...(merged.origins as string[])]);
  return Object.freeze(merged) as unknown as ResolvedWebSocketOptions;
}
