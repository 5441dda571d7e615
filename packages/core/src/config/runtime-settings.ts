import type { SettingSpec } from './setting-spec';
import { expectKnownKeys, expectMapping, fail, isUnset, keyAt, rootAt, type At } from './validate';

/**
 * How the Node.js process that serves the app is started (`settings.runtime`). These are V8 options fixed at process
 * start, so only `serv launch` applies them (it starts the serving process with them); a program that calls
 * `createApp()` itself passes the same options to `node` (docs/performance.md).
 */
export interface RuntimeSettings {
  /**
   * Largest size of one of the young generation's two semi-spaces, in MB (`node --max-semi-space-size`); 0 keeps
   * Node's own default (16 MB on 64-bit machines). Default 32.
   */
  semiSpaceMb: number;
}

/** The semi-space size `serv launch` starts servers with when nothing says otherwise (chosen by docs/performance.md). */
export const DEFAULT_SEMI_SPACE_MB = 32;
/** The largest semi-space size the setting accepts, in MB. */
export const MAX_SEMI_SPACE_MB = 1024;

const DEFAULT_RUNTIME: RuntimeSettings = Object.freeze({ semiSpaceMb: DEFAULT_SEMI_SPACE_MB });
const RUNTIME_KEYS = ['semi_space_mb'];
// V8 rounds a semi-space up to a power of two; refusing other sizes keeps the file saying what actually runs.
const SEMI_SPACE_EXPECTED = `be "default", 0 (both: Node's own size) or a power of two from 1 to ${MAX_SEMI_SPACE_MB} (megabytes)`;

/** The `runtime` row of the settings table: a mapping with `semi_space_mb`. */
export const RUNTIME_SETTING: SettingSpec = {
  key: 'runtime',
  field: 'runtime',
  defaultValue: DEFAULT_RUNTIME,
  read: (value, at) => readRuntimeBlock(value, at),
};

function readRuntimeBlock(value: unknown, at: At): RuntimeSettings {
  const block = expectMapping(value, at);
  expectKnownKeys(block, at, RUNTIME_KEYS);
  const raw = block.semi_space_mb;
  return { semiSpaceMb: isUnset(raw) ? DEFAULT_SEMI_SPACE_MB : readSemiSpace(raw, keyAt(at, 'semi_space_mb')) };
}

/** A semi-space size as written in YAML: a number, or `default` (Node's own, like 0). */
export function readSemiSpace(value: unknown, at: At): number {
  if (value === 'default') return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEMI_SPACE_MB || (value & (value - 1)) !== 0) {
    fail(at, SEMI_SPACE_EXPECTED, value);
  }
  return value;
}

/** A semi-space size given as text (SERV_SEMI_SPACE_MB): digits or `default`; errors start with `name`. */
export function parseSemiSpaceText(text: string, name: string): number {
  return readSemiSpace(/^\d+$/.test(text) ? Number(text) : text, rootAt(undefined, name));
}

/**
 * Reads only `settings.runtime` of a parsed serv.config.yaml (`document`, from `file`), for a launcher that must choose
 * the serving process's V8 options before it loads anything else; errors name the file and key like readServConfig's.
 */
export function readRuntimeBlockOf(document: unknown, file: string): RuntimeSettings {
  const root = rootAt(file);
  if (isUnset(document)) return DEFAULT_RUNTIME;
  const settings = expectMapping(document, root).settings;
  const settingsAt = keyAt(root, 'settings');
  const block = isUnset(settings) ? undefined : expectMapping(settings, settingsAt).runtime;
  return isUnset(block) ? DEFAULT_RUNTIME : readRuntimeBlock(block, keyAt(settingsAt, 'runtime'));
}
