import * as path from 'node:path';
import {
  expectBool, expectInt, expectKnownKeys, expectMapping, expectString, expectStringList, isUnset, keyAt, type At,
} from './validate';

/** TLS files for HTTPS/WSS, both absolute after loading. */
export interface TlsSettings {
  /** PEM certificate chain file. */
  certFile: string;
  /** PEM private key file. */
  keyFile: string;
}

/** The app's `settings` block in camelCase, every key filled in (file value, env override or default). */
export interface ServSettings {
  /** Debug mode: stack traces in error pages, verbose logs. Default false. */
  debug: boolean;
  /** Interface to bind. Default "127.0.0.1". */
  host: string;
  /** TCP port, 0 for any free port. Default 8000. */
  port: number;
  /** Absolute folder holding the extensions; default "./extensions" next to the config file. */
  extensionDir: string;
  /** HTTP request body limit in bytes (over → 413). Default 1048576. */
  maxBodyBytes: number;
  /** WebSocket handshake Origin allow-list; empty allows any origin. Default []. */
  origins: string[];
  /** Open WebSocket connections allowed at once (over → HTTP 503 on the handshake). Default 1000. */
  maxConnections: number;
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
  /** Negotiate permessage-deflate compression. Default false. */
  permessageDeflate: boolean;
  /** Time in-flight handlers get on shutdown before close 1001, in milliseconds. Default 5000. */
  shutdownGraceMs: number;
  /** HTTPS/WSS files; absent serves plain HTTP/WS. */
  tls?: TlsSettings;
}

type PlainKey = Exclude<keyof ServSettings, 'tls'>;

// One row per YAML key: its camelCase field and how to read it. `dir` is the config file's folder, for paths.
const READERS: Record<string, { field: PlainKey; read: (value: unknown, at: At, dir: string) => unknown }> = {
  debug: { field: 'debug', read: expectBool },
  host: { field: 'host', read: (v, at) => expectString(v, at) },
  port: { field: 'port', read: (v, at) => expectInt(v, at, 0, 65535) },
  extension_dir: { field: 'extensionDir', read: (v, at, dir) => path.resolve(dir, expectString(v, at)) },
  max_body_bytes: { field: 'maxBodyBytes', read: (v, at) => expectInt(v, at, 1) },
  origins: { field: 'origins', read: expectStringList },
  max_connections: { field: 'maxConnections', read: (v, at) => expectInt(v, at, 1) },
  max_message_bytes: { field: 'maxMessageBytes', read: (v, at) => expectInt(v, at, 1) },
  rate_limit_messages: { field: 'rateLimitMessages', read: (v, at) => expectInt(v, at, 0) },
  rate_limit_interval_ms: { field: 'rateLimitIntervalMs', read: (v, at) => expectInt(v, at, 1) },
  heartbeat_interval_ms: { field: 'heartbeatIntervalMs', read: (v, at) => expectInt(v, at, 0) },
  heartbeat_timeout_ms: { field: 'heartbeatTimeoutMs', read: (v, at) => expectInt(v, at, 1) },
  send_high_water_bytes: { field: 'sendHighWaterBytes', read: (v, at) => expectInt(v, at, 1) },
  max_buffered_bytes: { field: 'maxBufferedBytes', read: (v, at) => expectInt(v, at, 1) },
  permessage_deflate: { field: 'permessageDeflate', read: expectBool },
  shutdown_grace_ms: { field: 'shutdownGraceMs', read: (v, at) => expectInt(v, at, 0) },
};

/** Every key allowed under `settings:` in serv.config.yaml, in documentation order. */
export const SETTINGS_KEYS: readonly string[] = [...Object.keys(READERS), 'tls'];

/** Settings with every default; `extension_dir` ("./extensions") is resolved against `baseDir` (default: the cwd). */
export function defaultSettings(baseDir: string = process.cwd()): ServSettings {
  return {
    debug: false,
    host: '127.0.0.1',
    port: 8000,
    extensionDir: path.resolve(baseDir, './extensions'),
    maxBodyBytes: 1048576,
    origins: [],
    maxConnections: 1000,
    maxMessageBytes: 1048576,
    rateLimitMessages: 1000,
    rateLimitIntervalMs: 1000,
    heartbeatIntervalMs: 30000,
    heartbeatTimeoutMs: 10000,
    sendHighWaterBytes: 1048576,
    maxBufferedBytes: 8388608,
    permessageDeflate: false,
    shutdownGraceMs: 5000,
  };
}

/** Validates the `settings:` block at `at` over the defaults; relative paths resolve against `dir`. */
export function readSettings(value: unknown, at: At, dir: string): ServSettings {
  const settings = defaultSettings(dir);
  if (isUnset(value)) return settings;
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, SETTINGS_KEYS);
  for (const [key, raw] of Object.entries(block)) {
    if (isUnset(raw)) continue;
    if (key === 'tls') {
      settings.tls = readTls(raw, keyAt(at, key), dir);
      continue;
    }
    const reader = READERS[key];
    // expectKnownKeys has vetted the key, so the reader exists.
    (settings as unknown as Record<string, unknown>)[reader.field] = reader.read(raw, keyAt(at, key), dir);
  }
  return settings;
}

function readTls(value: unknown, at: At, dir: string): TlsSettings {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['cert_file', 'key_file']);
  return {
    certFile: path.resolve(dir, expectString(block.cert_file, keyAt(at, 'cert_file'))),
    keyFile: path.resolve(dir, expectString(block.key_file, keyAt(at, 'key_file'))),
  };
}
