import type { SettingSpec } from '../config/setting-spec';
import { expectBool, expectInt, expectKnownKeys, expectMapping, expectString, fail, keyAt, optional, type At } from '../config/validate';

/** `settings.metrics`: where Prometheus scrapes the app. */
export interface MetricsSettings {
  /** The path of the exposition text. Default "/metrics". */
  path: string;
}

/** `settings.health`: the liveness and readiness endpoints. */
export interface HealthSettings {
  /** Answers 200 while the process runs. Default "/healthz". */
  live: string;
  /** Answers 200 when listening with every dependency reachable, 503 otherwise. Default "/readyz". */
  ready: string;
  /** On shutdown, how long the ready path answers 503 while the app still serves, before the listener closes. Default 0. */
  drainDelayMs: number;
}

export const DEFAULT_METRICS: MetricsSettings = { path: '/metrics' };
export const DEFAULT_HEALTH: HealthSettings = { live: '/healthz', ready: '/readyz', drainDelayMs: 0 };

/** The `metrics` row of the settings table: on by default, `false` turns it off. */
export const METRICS_SETTING: SettingSpec = { key: 'metrics', field: 'metrics', defaultValue: DEFAULT_METRICS, read: readMetrics };

/** The `health` row: on by default, `false` turns both endpoints off. */
export const HEALTH_SETTING: SettingSpec = { key: 'health', field: 'health', defaultValue: DEFAULT_HEALTH, read: readHealth };

function readMetrics(value: unknown, at: At): MetricsSettings | false {
  if (value === false || value === true) return value ? { ...DEFAULT_METRICS } : false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'be false or a mapping like { path: /metrics }', value);
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['path']);
  return { path: optional(block.path, keyAt(at, 'path'), expectEndpointPath) ?? DEFAULT_METRICS.path };
}

function readHealth(value: unknown, at: At): HealthSettings | false {
  if (typeof value === 'boolean') return expectBool(value, at) ? { ...DEFAULT_HEALTH } : false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(at, 'be false or a mapping like { live: /healthz, ready: /readyz }', value);
  }
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, ['live', 'ready', 'drain_delay_ms']);
  const health: HealthSettings = {
    live: optional(block.live, keyAt(at, 'live'), expectEndpointPath) ?? DEFAULT_HEALTH.live,
    ready: optional(block.ready, keyAt(at, 'ready'), expectEndpointPath) ?? DEFAULT_HEALTH.ready,
    drainDelayMs: optional(block.drain_delay_ms, keyAt(at, 'drain_delay_ms'), (v, a) => expectInt(v, a, 0)) ?? 0,
  };
  if (health.live === health.ready) fail(keyAt(at, 'ready'), `differ from health.live (${health.live})`, health.ready);
  return health;
}

/** A fixed path of its own: starts with "/", no query, no `{param}`, no spaces. */
export function expectEndpointPath(value: unknown, at: At): string {
  const path = expectString(value, at);
  if (!/^\/[^\s?#{}]*$/.test(path)) fail(at, 'be a fixed path starting with "/" (no query, no {param}, no spaces), e.g. "/metrics"', path);
  return path;
}
