import { UsageError } from '../args/usage-error';

/** How `serv config set` reads its VALUE; without --type the value is read like a YAML scalar. */
export type ConfigValueType = 'string' | 'int' | 'float' | 'bool' | 'list';

const TRUE = ['true', 'yes', '1', 'on'];
const FALSE = ['false', 'no', '0', 'off'];

/**
 * Converts the VALUE of `serv config set`: `int`, `float`, `bool` (true/yes/1/on, false/no/0/off), `list` (comma
 * separated, trimmed) or `string`; with no type, integers, decimals and true/false become numbers and booleans and
 * everything else stays a string. A VALUE that does not fit its --type is a usage error.
 */
export function parseConfigValue(raw: string, type: ConfigValueType | undefined): string | number | boolean | string[] {
  const where = 'serv config set';
  switch (type) {
    case 'string':
      return raw;
    case 'int':
      if (!/^[-+]?\d+$/.test(raw.trim())) throw new UsageError(`VALUE must be an integer for --type int, got "${raw}".`, where);
      return Number(raw);
    case 'float': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`VALUE must be a number for --type float, got "${raw}".`, where);
      return value;
    }
    case 'bool': {
      const lower = raw.trim().toLowerCase();
      if (TRUE.includes(lower)) return true;
      if (FALSE.includes(lower)) return false;
      throw new UsageError(`VALUE must be one of ${[...TRUE, ...FALSE].join(', ')} for --type bool, got "${raw}".`, where);
    }
    case 'list':
      return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
    case undefined:
      if (/^[-+]?\d+$/.test(raw)) return Number(raw);
      if (/^[-+]?\d*\.\d+$/.test(raw)) return Number(raw);
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return raw;
    default:
      throw new UsageError(`--type must be string, int, float, bool or list, got "${String(type)}".`, where);
  }
}
