import { isIP } from 'node:net';
import { TRUST_PROXY_NAMES, type TrustProxy } from '../http/proxy-trust';
import type { LogFormat, LogLevel } from '../logging/logger';
import type { SettingSpec } from './setting-spec';
import { expectOneOf, fail, itemAt, rootAt, type At } from './validate';

/** `log_format`: `auto` (the default) is pretty on a terminal and JSON otherwise. */
export type LogFormatSetting = 'auto' | LogFormat;

const FORMATS: readonly LogFormatSetting[] = ['auto', 'pretty', 'json'];
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** `settings.log_format`. */
export const LOG_FORMAT_SETTING: SettingSpec = {
  key: 'log_format', field: 'logFormat', defaultValue: 'auto', read: (v, at) => expectOneOf(v, at, FORMATS),
};

/** `settings.log_level`; unset means `info`, or `debug` when `debug` is on. */
export const LOG_LEVEL_SETTING: SettingSpec = {
  key: 'log_level', field: 'logLevel', defaultValue: undefined, read: (v, at) => expectOneOf(v, at, LEVELS),
};

/** `settings.trust_proxy`. */
export const TRUST_PROXY_SETTING: SettingSpec = {
  key: 'trust_proxy', field: 'trustProxy', defaultValue: false, read: (v, at) => readTrustProxy(v, at),
};

const TRUST_PROXY_SHAPE = 'be false, true, a hop count (an integer of 0 or more) or a list of proxy addresses/CIDRs';

/**
 * Validates `trust_proxy`: `false`, `true`, a hop count, or a list (or comma-separated string) of IP addresses, CIDRs
 * and the names `loopback`, `linklocal`, `private`. Errors name the file, the key (and item) and the value.
 */
export function readTrustProxy(value: unknown, at: At = rootAt(undefined, 'settings.trust_proxy')): TrustProxy {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) fail(at, TRUST_PROXY_SHAPE, value);
    return value;
  }
  const entries = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value;
  if (!Array.isArray(entries)) fail(at, TRUST_PROXY_SHAPE, value);
  entries.forEach((entry, i) => {
    const where = typeof value === 'string' ? at : itemAt(at, i);
    if (!isAddressOrRange(entry)) {
      fail(where, `be an IP address, a CIDR such as 10.0.0.0/8, or one of ${Object.keys(TRUST_PROXY_NAMES).join(', ')}`, entry);
    }
  });
  return entries as string[];
}

function isAddressOrRange(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  if (TRUST_PROXY_NAMES[entry] !== undefined) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address as string);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
