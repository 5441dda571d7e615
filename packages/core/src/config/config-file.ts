import { ConfigError } from './config-error';

/** One step of a config key: a mapping key or a list index. */
export type ConfigKeySegment = string | number;

/**
 * Splits a key such as `settings.port`, `extensions[0].settings.theme` or `extensions.0` into segments; `[n]` is
 * always a list index, a bare number is one only where the value there is a list.
 */
export function parseConfigKey(dotKey: string): ConfigKeySegment[] {
  const segments: ConfigKeySegment[] = [];
  for (const part of dotKey.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null || (match[1] === '' && match[2] === '')) {
      throw ConfigError.invalid(undefined, 'the key', 'be dot-separated names like "settings.port" or "extensions[0]"', dotKey);
    }
    if (match[1] !== '') segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** The value at `dotKey` in a parsed config document (ServConfig.raw), or undefined when nothing is there. */
export function getConfigValue(raw: unknown, dotKey: string): unknown {
  let current: unknown = raw;
  for (const segment of parseConfigKey(dotKey)) {
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      current = Number.isInteger(index) ? current[index] : undefined;
    } else if (typeof current === 'object' && current !== null && typeof segment === 'string') {
      current = Object.prototype.hasOwnProperty.call(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}
