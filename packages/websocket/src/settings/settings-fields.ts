// The WebSocket fields of the core's `ServSettings`, added by this package (TypeScript declaration merging), so that
// `app.settings.maxConnections` is typed wherever @serv/websocket is installed and nowhere else. Defaults and
// validation live in websocket-settings.ts.
import '@serv/core';
import type { BrokerSettings } from '../rooms/broker-settings';
import type { StoreSettings } from '../stores/store-settings';

declare module '@serv/core' {
  interface ServSettings {
    /** WebSocket handshake Origin allow-list; empty allows any origin. Default []. */
    origins: string[];
    /** Open WebSocket connections allowed at once (over → HTTP 503 on the handshake). Default 1000. */
    maxConnections: number;
    /** Open WebSocket connections allowed per client address (over → HTTP 503; the address honours `trust_proxy`); 0 = no limit. Default 0. */
    maxConnectionsPerIp: number;
    /** Largest WebSocket message in bytes (over → close 1009). Default 1048576. */
    maxMessageBytes: number;
    /** Messages allowed per rateLimitIntervalMs per connection (over → close 1008); 0 turns it off. Default 1000. */
    rateLimitMessages: number;
    /** Window of the message rate limit in milliseconds. Default 1000. */
    rateLimitIntervalMs: number;
    /** Ping interval in milliseconds; 0 turns heartbeats off. Default 30000. */
    heartbeatIntervalMs: number;
    /** How long to wait for a pong before terminating, in milliseconds. Default 10000. */
    heartbeatTimeoutMs: number;
    /** send() waits while more than this many bytes are buffered. Default 1048576. */
    sendHighWaterBytes: number;
    /** A peer whose unsent backlog passes this many bytes is closed 1013. Default 8388608. */
    maxBufferedBytes: number;
    /** A send() that cannot hand over its data this long closes the connection 1013, in ms; 0 = never. Default 30000. */
    sendTimeoutMs: number;
    /** A message left half received this long closes the connection 1008, in ms; 0 = never. Default 30000. */
    messageTimeoutMs: number;
    /** Negotiate permessage-deflate compression. Default false. */
    permessageDeflate: boolean;
    /** Rooms broker: `{ kind: memory }` (default; spans `--workers` through the primary) or `{ kind: redis, url, prefix }`. */
    broker: BrokerSettings;
    /** How long a dead instance's room members stay listed, in milliseconds (Redis broker). Default 15000. */
    presenceTtlMs: number;
    /** Where published messages are kept: `{ kind: sqlite, path }` (default "./data/serv.db"), `{ kind: postgres, url, prefix }` or `{ kind: memory }`. */
    store: StoreSettings;
    /** Messages kept per room; older ones are deleted as new ones arrive. Default 1000. */
    historyMaxPerRoom: number;
    /** Seconds a stored message is kept. Default 604800 (7 days). */
    historyTtlS: number;
  }
}
