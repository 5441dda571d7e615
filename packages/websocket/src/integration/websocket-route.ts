import { compilePath, declaredAt, Injectable, RouteDefinitionError, routeMetadata, type Constructor } from '@serv/core';
import type { FrameType } from '../connection/frame-type';
import { resolveWebSocketOptions } from '../connection/options';

/** Per-route options of `@WebSocketRoute()`; each limit overrides the app's setting of the same name. */
export interface WebSocketRouteOptions {
  /** `FrameType.TEXT` (default) or `FrameType.BINARY`: how messages arrive and how `send(string)` goes out. */
  frameType?: FrameType;
  /** Largest message in bytes; bigger closes with 1009 (setting `max_message_bytes`, default 1 MiB). */
  maxMessageBytes?: number;
  /** Messages allowed per `rateLimitIntervalMs` (0 = off); more closes with 1008 (default 1000). */
  rateLimitMessages?: number;
  /** The rate-limit window in milliseconds (default 1000). */
  rateLimitIntervalMs?: number;
  /** Ping interval in milliseconds, 0 = off (default 30000). */
  heartbeatIntervalMs?: number;
  /** Silence allowed after a ping before the peer is terminated, in milliseconds (default 10000). */
  heartbeatTimeoutMs?: number;
  /** `send()` waits while more than this many bytes are buffered (default 1 MiB). */
  sendHighWaterBytes?: number;
  /** Unsent bytes past this close the connection with 1013 (default 8 MiB). */
  maxBufferedBytes?: number;
  /** Allowed `Origin` values for this route; empty = the app's list (default any). */
  origins?: string[];
}

/**
 * Marks a class as a WebSocket handler: its `handle(...)` method runs once per connection, with decorated
 * parameters (`@Inject() ws: WebSocket`, `@Param('room_id')`, `@Settings()` …) and constructor injection.
 *
 * @example
 * ```ts
 * @WebSocketRoute('/ws/{room_id}', { frameType: FrameType.BINARY, maxMessageBytes: 64 * 1024 })
 * export class RoomHandler {
 *   async handle(@Inject() ws: WebSocket, @Param('room_id') roomId: string) {
 *     await ws.accept();
 *     for await (const message of ws) await ws.send(message);
 *   }
 * }
 * ```
 */
export function WebSocketRoute(path: string, options: WebSocketRouteOptions = {}): ClassDecorator {
  return (target) => {
    const cls = target as unknown as Constructor;
    const where = `@WebSocketRoute(${JSON.stringify(path)}) on ${cls.name}`;
    compilePath(path, where);
    if (typeof (cls.prototype as { handle?: unknown }).handle !== 'function') {
      throw new RouteDefinitionError(`${where}: ${cls.name} needs a handle(...) method, called once per connection`);
    }
    if (options === null || typeof options !== 'object') {
      throw new RouteDefinitionError(`${where}: options must be an object, got ${String(options)}`);
    }
    try {
      resolveWebSocketOptions({}, options);
    } catch (err) {
      throw new RouteDefinitionError(`${where}: ${(err as Error).message}`);
    }
    routeMetadata.setProtocolRoute(cls, { kind: 'websocket', path, options: { ...options }, declaredAt: declaredAt() });
    Injectable()(cls);
  };
}
