import * as path from 'node:path';
import { ServError } from '../errors/serv-error';
import { nearestName } from './suggest';
import { onProtocolRegistered, registeredProtocols } from '../protocol/registry';
import { HEALTH_SETTING, METRICS_SETTING, type HealthSettings, type MetricsSettings } from '../metrics/ops-settings';
import { SESSIONS_SETTING, type SessionSettingsInput } from '../sessions/session-settings';
import type { TrustProxy } from '../http/proxy-trust';
import type { LogLevel } from '../logging/logger';
import { LOG_FORMAT_SETTING, LOG_LEVEL_SETTING, TRUST_PROXY_SETTING, type LogFormatSetting } from './operations-settings';
import { RUNTIME_SETTING, type RuntimeSettings } from './runtime-settings';
import type { SettingSpec } from './setting-spec';
import {
  expectBool, expectInt, expectKnownKeys, expectMapping, expectString, fail, isUnset, keyAt, type At,
} from './validate';

/** TLS files for HTTPS/WSS, both absolute after loading. */
export interface TlsSettings {
  /** PEM certificate chain file. */
  certFile: string;
  /** PEM private key file. */
  keyFile: string;
}

/**
 * The app's `settings` block in camelCase, every key filled in (file value, env override or default). Protocol
 * packages add their own fields to this interface (`@serv/websocket` adds `maxConnections`, `maxMessageBytes` …).
 */
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
  /** Time a client gets to send a request's headers (slowloris), in milliseconds. Default 10000. */
  headersTimeoutMs: number;
  /** Time a client gets to send a whole request, body included, in milliseconds; 0 = no limit. Default 30000. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests, in milliseconds. Default 5000. */
  keepAliveTimeoutMs: number;
  /** Which proxies' `X-Forwarded-*` / `Forwarded` headers to believe (docs/configuration.md). Default false. */
  trustProxy: TrustProxy;
  /** `auto` (pretty on a terminal, JSON otherwise), `pretty` or `json`. Default auto. */
  logFormat: LogFormatSetting;
  /** Lowest level logged; unset means info, or debug when `debug` is on. */
  logLevel?: LogLevel;
  /** Time in-flight requests and handlers get on shutdown, in milliseconds. Default 5000. */
  shutdownGraceMs: number;
  /** How `serv launch` starts the serving process (V8's young generation); see RuntimeSettings. */
  runtime: RuntimeSettings;
  /** HTTPS/WSS files; absent serves plain HTTP/WS. */
  tls?: TlsSettings;
  /** Cookie sessions (`settings.sessions`, docs/auth.md); absent leaves them off. */
  sessions?: SessionSettingsInput;
  /** Prometheus metrics (`settings.metrics`, docs/operations.md); `false` turns them off. Default { path: "/metrics" }. */
  metrics: MetricsSettings | false;
  /** Liveness and readiness endpoints (`settings.health`, docs/operations.md); `false` turns them off. */
  health: HealthSettings | false;
}

// The core's own keys. Protocol keys are listed between the server keys and the lifecycle keys, which apply to
// every protocol, so that the documented order reads server → protocols → shutdown → TLS.
const SERVER_KEYS: readonly SettingSpec[] = [
  { key: 'debug', field: 'debug', defaultValue: false, read: expectBool },
  { key: 'host', field: 'host', defaultValue: '127.0.0.1', read: (v, at) => expectString(v, at) },
  { key: 'port', field: 'port', defaultValue: 8000, read: (v, at) => expectInt(v, at, 0, 65535) },
  { key: 'extension_dir', field: 'extensionDir', defaultValue: './extensions', read: (v, at, dir) => path.resolve(dir, expectString(v, at)) },
  { key: 'max_body_bytes', field: 'maxBodyBytes', defaultValue: 1048576, read: (v, at) => expectInt(v, at, 1) },
  { key: 'headers_timeout_ms', field: 'headersTimeoutMs', defaultValue: 10000, read: (v, at) => expectInt(v, at, 1) },
  { key: 'request_timeout_ms', field: 'requestTimeoutMs', defaultValue: 30000, read: (v, at) => expectInt(v, at, 0) },
  { key: 'keep_alive_timeout_ms', field: 'keepAliveTimeoutMs', defaultValue: 5000, read: (v, at) => expectInt(v, at, 1) },
  TRUST_PROXY_SETTING,
  LOG_FORMAT_SETTING,
  LOG_LEVEL_SETTING,
];
const LIFECYCLE_KEYS: readonly SettingSpec[] = [
  { key: 'shutdown_grace_ms', field: 'shutdownGraceMs', defaultValue: 5000, read: (v, at) => expectInt(v, at, 0) },
  RUNTIME_SETTING,
];

/** Every settings row: the core's and each installed protocol's, in documentation order (`tls` is read apart). */
export function settingSpecs(): SettingSpec[] {
  return [...SERVER_KEYS, ...registeredProtocols().flatMap((p) => p.settings ?? []), SESSIONS_SETTING, METRICS_SETTING, HEALTH_SETTING, ...LIFECYCLE_KEYS];
}

/** Every key allowed under `settings:` in serv.config.yaml with the installed protocols, in documentation order. */
export function settingsKeys(): string[] {
  return [...settingSpecs().map((s) => s.key), 'tls'];
}

const liveKeys = settingsKeys();
onProtocolRegistered(() => liveKeys.splice(0, liveKeys.length, ...settingsKeys()));

/** Every key allowed under `settings:` in serv.config.yaml, with those of every installed protocol, in documentation order. */
export const SETTINGS_KEYS: readonly string[] = liveKeys;

/** Settings with every default; `extension_dir` ("./extensions") is resolved against `baseDir` (default: the cwd). */
export function defaultSettings(baseDir: string = process.cwd()): ServSettings {
  const settings: Record<string, unknown> = {};
  for (const spec of settingSpecs()) {
    const value = Array.isArray(spec.defaultValue) ? [...(spec.defaultValue as unknown[])] : spec.defaultValue;
    settings[spec.field] = spec.resolveDefault === undefined ? value : spec.resolveDefault(value, baseDir);
  }
  settings.extensionDir = path.resolve(baseDir, settings.extensionDir as string);
  return settings as unknown as ServSettings;
}

/**
 * Checks the camelCase settings given to `createApp({ settings })`: a key no setting has (a typo, or a serv.config.yaml
 * key such as `log_level` written in code) is refused with the field to use, instead of being ignored.
 */
export function checkSettingsFields(settings: object | undefined): void {
  if (settings === undefined) return;
  const specs = settingSpecs();
  const fields = new Set([...specs.map((s) => s.field), 'tls']);
  for (const key of Object.keys(settings)) {
    if (fields.has(key)) continue;
    const yaml = specs.find((s) => s.key === key);
    const near = yaml === undefined ? nearestName(key, [...fields]) : undefined;
    const hint =
      yaml !== undefined
        ? `in code, settings use camelCase: write ${yaml.field} (${key} is its serv.config.yaml key)`
        : near !== undefined
          ? `did you mean ${near}?`
          : `known settings: ${[...fields].join(', ')}${protocolKeysNote() === undefined ? '' : `. ${protocolKeysNote()}`}`;
    throw new ServError('SERV_CONFIG_INVALID', `createApp({ settings }): unknown setting "${key}"; ${hint}`);
  }
}

/** Validates the `settings:` block at `at` over the defaults; relative paths resolve against `dir`. */
export function readSettings(value: unknown, at: At, dir: string): ServSettings {
  const settings = defaultSettings(dir);
  if (isUnset(value)) return settings;
  const block = expectMapping(value, at);
  const specs = settingSpecs();
  expectKnownKeys(block, at, [...specs.map((s) => s.key), 'tls'], {}, protocolKeysNote());
  for (const [key, raw] of Object.entries(block)) {
    if (isUnset(raw)) continue;
    if (key === 'tls') {
      settings.tls = readTls(raw, keyAt(at, key), dir);
      continue;
    }
    // expectKnownKeys has vetted the key, so its row exists.
    const spec = specs.find((s) => s.key === key) as SettingSpec;
    (settings as unknown as Record<string, unknown>)[spec.field] = spec.read(raw, keyAt(at, key), dir);
  }
  if (settings.requestTimeoutMs > 0 && settings.headersTimeoutMs > settings.requestTimeoutMs) {
    // Node refuses this pair at server creation; say so here, with the keys the user wrote.
    fail(keyAt(at, 'headers_timeout_ms'), `be at most request_timeout_ms (${settings.requestTimeoutMs})`, settings.headersTimeoutMs);
  }
  return settings;
}

/**
 * Appended to an unknown-key error when no protocol package is installed: the key may well be right, and only the
 * package that owns it is missing (core never loads one by itself).
 */
export function protocolKeysNote(): string | undefined {
  if (registeredProtocols().length > 0) return undefined;
  return 'WebSocket keys come from @serv/websocket: install it and import it before reading the config ' +
    "(import '@serv/websocket'; serv launch does this for you)";
}

function readTls(value: unknown, at: At, dir: string): TlsSettings {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['cert_file', 'key_file']);
  return {
    certFile: path.resolve(dir, expectString(block.cert_file, keyAt(at, 'cert_file'))),
    keyFile: path.resolve(dir, expectString(block.key_file, keyAt(at, 'key_file'))),
  };
}
