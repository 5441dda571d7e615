import { ConfigError } from './config-error';
import { nearestName } from './suggest';

/** Where a value sits: the file it came from (undefined for env vars and flags) and its key path in that file. */
export interface At {
  /** The source file, or undefined when the value came from the environment or the command line. */
  readonly file: string | undefined;
  /** Dotted/indexed key path such as `routers[0].routes[1]`; '' for the document root. */
  readonly keyPath: string;
}

/** The root of a document read from `file` (or of a value with no file when `file` is undefined). */
export function rootAt(file: string | undefined, keyPath = ''): At {
  return { file, keyPath };
}

/** The position of `key` inside the mapping at `at`. */
export function keyAt(at: At, key: string): At {
  return { file: at.file, keyPath: at.keyPath === '' ? key : `${at.keyPath}.${key}` };
}

/** The position of item `index` inside the list at `at`. */
export function itemAt(at: At, index: number): At {
  return { file: at.file, keyPath: `${at.keyPath}[${index}]` };
}

/** Throws `<file>: <keyPath> must <expected>, got <value>`. */
export function fail(at: At, expected: string, value: unknown): never {
  throw ConfigError.invalid(at.file, at.keyPath, expected, value);
}

/** True for a key that is missing or written with an empty value (`key:`), both of which mean "not set". */
export function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Reads an optional value: unset (missing or empty) gives undefined, anything else goes through `read`. */
export function optional<T>(value: unknown, at: At, read: (value: unknown, at: At) => T): T | undefined {
  return isUnset(value) ? undefined : read(value, at);
}

/** A string; by default it must also contain something other than whitespace. */
export function expectString(value: unknown, at: At, options: { allowEmpty?: boolean } = {}): string {
  if (options.allowEmpty === true) {
    if (typeof value !== 'string') fail(at, 'be a string', value);
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') fail(at, 'be a non-empty string', value);
  return value;
}

/** An integer from `min` to `max` inclusive (max defaults to the largest safe integer). */
export function expectInt(value: unknown, at: At, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(at, `be ${intRangeText(min, max)}`, value);
  }
  return value;
}

/** Describes an integer range the way messages and docs phrase it, e.g. "an integer from 0 to 65535". */
export function intRangeText(min: number, max: number = Number.MAX_SAFE_INTEGER): string {
  if (max !== Number.MAX_SAFE_INTEGER) return `an integer from ${min} to ${max}`;
  if (min === 1) return 'a positive integer';
  return `an integer of ${min} or more`;
}

/** A YAML boolean (`true`/`false`; YAML 1.2 reads `yes`/`no` as strings, so they are refused here). */
export function expectBool(value: unknown, at: At): boolean {
  if (typeof value !== 'boolean') fail(at, 'be true or false', value);
  return value;
}

/** A YAML sequence. */
export function expectList(value: unknown, at: At): unknown[] {
  if (!Array.isArray(value)) fail(at, 'be a list', value);
  return value;
}

/** A YAML mapping (a plain object after parsing). */
export function expectMapping(value: unknown, at: At): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'be a mapping', value);
  return value as Record<string, unknown>;
}

/** A list whose items are all non-empty strings. */
export function expectStringList(value: unknown, at: At): string[] {
  return expectList(value, at).map((item, index) => expectString(item, itemAt(at, index)));
}

/** One of a fixed set of strings, e.g. `"text" or "binary"`. */
export function expectOneOf<T extends string>(value: unknown, at: At, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(at, `be ${choicesText(choices.map((choice) => JSON.stringify(choice)))}`, value);
  }
  return value as T;
}

/** Joins alternatives for a message: `a`, `a or b`, `a, b or c`. */
export function choicesText(choices: readonly string[]): string {
  if (choices.length <= 1) return choices.join('');
  return `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}

/**
 * Refuses any key of `mapping` outside `allowed`, suggesting the nearest allowed key and listing them all;
 * `renamed` maps old names (e.g. Python Serv's) to their replacement so the suggestion is right even when unalike;
 * `note`, when given, ends the message (e.g. which package adds more keys).
 */
export function expectKnownKeys(
  mapping: Record<string, unknown>,
  at: At,
  allowed: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
  note?: string,
): void {
  for (const key of Object.keys(mapping)) {
    if (allowed.includes(key)) continue;
    const suggestion = Object.prototype.hasOwnProperty.call(renamed, key) ? renamed[key] : nearestName(key, allowed);
    const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
    const expected = `be one of the allowed keys: ${allowed.join(', ')}`;
    const problem = `is not a known key${hint}; allowed keys: ${allowed.join(', ')}${note === undefined ? '' : `. ${note}`}`;
    throw ConfigError.misplaced(at.file, keyAt(at, key).keyPath, problem, { expected, found: JSON.stringify(key) });
  }
}
