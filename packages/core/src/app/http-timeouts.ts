import type { Server } from 'node:http';
import type { ServSettings } from '../config/serv-settings';

/** Longest pause between Node's sweeps for expired requests: bounds how late a timeout can fire. */
const MAX_SWEEP_MS = 1000;

/**
 * Apply the HTTP timeouts of `settings` to a server before it listens: `headers_timeout_ms` ends a slowloris
 * (headers trickled forever), `request_timeout_ms` an endless body, `keep_alive_timeout_ms` an idle kept-alive socket.
 * Node checks the first two on a sweep (every 30 s by default, so a 10 s limit could hold 40 s); the sweep runs here
 * at a quarter of the shortest timeout, at most every second.
 */
export function applyHttpTimeouts(server: Server, settings: Pick<ServSettings, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>): void {
  server.headersTimeout = settings.headersTimeoutMs;
  server.requestTimeout = settings.requestTimeoutMs;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  const shortest = settings.requestTimeoutMs > 0 ? Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs) : settings.headersTimeoutMs;
  // Read by Node when the server starts listening, so setting it here (before listen) takes effect.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    1,
    Math.min(MAX_SWEEP_MS, Math.floor(shortest / 4)),
  );
}
