import {
  expectBool, expectInt, expectOneOf, expectStringList, type At, type RouteKeys, type SettingSpec,
} from '@serv/core';
import { readBroker } from '../rooms/broker-settings';
import { DEFAULT_STORE, defaultStore, readStore } from '../stores/store-settings';

/** How one WebSocket setting is checked, whichever way it arrives (YAML, `createApp` settings, decorator options). */
type Rule =
  | { readonly type: 'int'; readonly min: 0 | 1 | 100 }
  | { readonly type: 'bool' }
  | { readonly type: 'strings' }
  | { readonly type: 'oneOf'; readonly choices: readonly string[] }
  | { readonly type: 'broker' }
  | { readonly type: 'store' };

/** One WebSocket setting: where it may be written, its default and its rule. */
interface Row {
  /** The snake_case YAML key (app `settings:` and route keys). */
  readonly key: string;
  /** The camelCase name (`ServSettings` field, decorator option, resolved option). */
  readonly field: string;
  readonly defaultValue: unknown;
  readonly rule: Rule;
  /** `app`: a `settings:` key only; `route`: a route key/option only; `both`: an app setting a route may override. */
  readonly scope: 'app' | 'route' | 'both';
}

const POSITIVE: Rule = { type: 'int', min: 1 };
const NON_NEGATIVE: Rule = { type: 'int', min: 0 };

/**
 * THE table of WebSocket settings and limits: settings keys, YAML route keys, decorator options and the options
 * every connection reads are all derived from it. Order is documentation order.
 */
const ROWS: readonly Row[] = [
  { key: 'frame_type', field: 'frameType', defaultValue: 'text', rule: { type: 'oneOf', choices: ['text', 'binary'] }, scope: 'route' },
  { key: 'origins', field: 'origins', defaultValue: [], rule: { type: 'strings' }, scope: 'both' },
  { key: 'max_connections', field: 'maxConnections', defaultValue: 1000, rule: POSITIVE, scope: 'app' },
  { key: 'max_connections_per_ip', field: 'maxConnectionsPerIp', defaultValue: 0, rule: NON_NEGATIVE, scope: 'app' },
  { key: 'max_message_bytes', field: 'maxMessageBytes', defaultValue: 1_048_576, rule: POSITIVE, scope: 'both' },
  { key: 'rate_limit_messages', field: 'rateLimitMessages', defaultValue: 1000, rule: NON_NEGATIVE, scope: 'both' },
  { key: 'rate_limit_interval_ms', field: 'rateLimitIntervalMs', defaultValue: 1000, rule: POSITIVE, scope: 'both' },
  { key: 'heartbeat_interval_ms', field: 'heartbeatIntervalMs', defaultValue: 30_000, rule: NON_NEGATIVE, scope: 'both' },
  { key: 'heartbeat_timeout_ms', field: 'heartbeatTimeoutMs', defaultValue: 10_000, rule: POSITIVE, scope: 'both' },
  { key: 'send_high_water_bytes', field: 'sendHighWaterBytes', defaultValue: 1_048_576, rule: POSITIVE, scope: 'both' },
  { key: 'max_buffered_bytes', field: 'maxBufferedBytes', defaultValue: 8_388_608, rule: POSITIVE, scope: 'both' },
  { key: 'send_timeout_ms', field: 'sendTimeoutMs', defaultValue: 30_000, rule: NON_NEGATIVE, scope: 'both' },
  { key: 'message_timeout_ms', field: 'messageTimeoutMs', defaultValue: 30_000, rule: NON_NEGATIVE, scope: 'both' },
  { key: 'permessage_deflate', field: 'permessageDeflate', defaultValue: false, rule: { type: 'bool' }, scope: 'app' },
  { key: 'broker', field: 'broker', defaultValue: { kind: 'memory' }, rule: { type: 'broker' }, scope: 'app' },
  { key: 'presence_ttl_ms', field: 'presenceTtlMs', defaultValue: 15_000, rule: { type: 'int', min: 100 }, scope: 'app' },
  { key: 'store', field: 'store', defaultValue: DEFAULT_STORE, rule: { type: 'store' }, scope: 'app' },
  { key: 'history_max_per_room', field: 'historyMaxPerRoom', defaultValue: 1000, rule: POSITIVE, scope: 'app' },
  { key: 'history_ttl_s', field: 'historyTtlS', defaultValue: 604_800, rule: POSITIVE, scope: 'app' },
];

function readYaml(rule: Rule): (value: unknown, at: At, dir?: string) => unknown {
  switch (rule.type) {
    case 'int':
      return (v, at) => expectInt(v, at, rule.min);
    case 'bool':
      return expectBool;
    case 'strings':
      return expectStringList;
    case 'oneOf':
      return (v, at) => expectOneOf(v, at, rule.choices);
    case 'broker':
      return readBroker;
    case 'store':
      return (v, at, dir) => readStore(v, at, dir ?? process.cwd());
  }
}

/** What a value breaks, phrased to follow "must be", or null when it obeys `rule`. */
function checkValue(rule: Rule, value: unknown): string | null {
  switch (rule.type) {
    case 'int':
      if (Number.isSafeInteger(value) && (value as number) >= rule.min) return null;
      return rule.min === 1 ? 'a positive integer' : `an integer >= ${rule.min}`;
    case 'bool':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'strings':
      return Array.isArray(value) && value.every((o) => typeof o === 'string') ? null : 'a list of strings';
    case 'oneOf':
      return rule.choices.includes(value as string) ? null : rule.choices.map((c) => JSON.stringify(c)).join(' or ');
    case 'broker':
    case 'store':
      return null; // app settings only, read from YAML by readBroker / readStore
  }
}

/** The WebSocket keys under `settings:` in serv.config.yaml, for the core's settings reader. */
export const WEBSOCKET_SETTINGS: readonly SettingSpec[] = ROWS.filter((r) => r.scope !== 'route').map((r) => ({
  key: r.key,
  field: r.field,
  defaultValue: r.defaultValue,
  read: readYaml(r.rule),
  // The default SQLite file lives next to serv.config.yaml, like a written relative path.
  ...(r.rule.type === 'store' ? { resolveDefault: (_value: unknown, dir: string) => defaultStore(dir) } : {}),
}));

/** The YAML route keys: `websocket: true` and the options such a route may carry. */
export const WEBSOCKET_ROUTE_KEYS: RouteKeys = {
  flag: 'websocket',
  keys: ROWS.filter((r) => r.scope !== 'app').map((r) => ({ key: r.key, option: r.field, read: readYaml(r.rule) })),
};

/** The per-route options (camelCase) with their defaults, as every connection of a route reads them. */
export const ROUTE_OPTION_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  ROWS.filter((r) => r.scope !== 'app').map((r) => [r.field, r.defaultValue]),
);

/** The app-level settings (camelCase) with their defaults, for an app created before this package was imported. */
export const APP_SETTING_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  ROWS.filter((r) => r.scope !== 'route').map((r) => [r.field, r.defaultValue]),
);

const ROUTE_RULES = new Map(ROWS.filter((r) => r.scope !== 'app').map((r) => [r.field, r.rule]));

/** For a route option `field`: what `value` breaks (to follow "must be"), or null when it is fine. */
export function checkRouteOption(field: string, value: unknown): string | null {
  const rule = ROUTE_RULES.get(field);
  return rule === undefined ? null : checkValue(rule, value);
}

/** The route option names, in table order. */
export const ROUTE_OPTION_FIELDS: readonly string[] = [...ROUTE_RULES.keys()];
