import * as path from 'node:path';
import { ServError } from '../errors/serv-error';

/** Stable codes for every kind of configuration failure, one per kind so callers can branch without parsing text. */
export type ConfigErrorCode =
  | 'SERV_CONFIG_NOT_FOUND'
  | 'SERV_CONFIG_UNREADABLE'
  | 'SERV_CONFIG_YAML'
  | 'SERV_CONFIG_INVALID';

/** The fields a ConfigError carries besides its message. */
export interface ConfigErrorDetails {
  /** Stable code for the kind of failure. */
  readonly code: ConfigErrorCode;
  /** The file the bad value came from (any form; shown relative to the cwd when shorter); omit for env vars or flags. */
  readonly file?: string;
  /** Where in the document, e.g. `routers[0].routes[1].handler`; `SERV_PORT` for an environment variable. */
  readonly keyPath?: string;
  /** The requirement that failed, phrased to follow "must", e.g. `be an integer from 0 to 65535`. */
  readonly expected?: string;
  /** The offending value as shown in the message, e.g. `"main"`, `8.5` or `a list`. */
  readonly found?: string;
  /** The lower-level failure (YAML parser error, fs error) this one wraps. */
  readonly cause?: unknown;
}

/** A bad, missing or unparsable `serv.config.yaml` / `extension.yaml`, naming the file, key path, expectation and value. */
export class ConfigError extends ServError {
  /** Stable code for the kind of failure. */
  declare readonly code: ConfigErrorCode;
  /** The file as displayed in the message (relative to the cwd when shorter), or undefined when not from a file. */
  readonly file: string | undefined;
  /** Where in the document the bad value sits, or undefined for whole-file failures. */
  readonly keyPath: string | undefined;
  /** The requirement that failed, phrased to follow "must" (`be a boolean`, `look like "module:Export"`). */
  readonly expected: string | undefined;
  /** The offending value as shown in the message. */
  readonly found: string | undefined;

  /** Builds the error; `detail` is the message without the `<file>: ` prefix, which is added here. */
  constructor(detail: string, details: ConfigErrorDetails) {
    const file = details.file === undefined ? undefined : displayPath(details.file);
    const message = file === undefined ? detail : `${file}: ${detail}`;
    super(details.code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.file = file;
    this.keyPath = details.keyPath;
    this.expected = details.expected;
    this.found = details.found;
  }

  /** `<file>: <keyPath> must <expected>, got <found>` for a value that breaks a rule. */
  static invalid(file: string | undefined, keyPath: string, expected: string, value: unknown): ConfigError {
    const found = describeValue(value);
    return new ConfigError(`${keyLabel(keyPath)} must ${expected}, got ${found}`, {
      code: 'SERV_CONFIG_INVALID', file, keyPath, expected, found,
    });
  }

  /** `<file>: <keyPath> <problem>` for rules that are not about a value's shape (unknown keys, misplaced keys). */
  static misplaced(
    file: string | undefined,
    keyPath: string,
    problem: string,
    extra: { expected?: string; found?: string } = {},
  ): ConfigError {
    return new ConfigError(`${keyLabel(keyPath)} ${problem}`, { code: 'SERV_CONFIG_INVALID', file, keyPath, ...extra });
  }

  /** `<file>: not found (<hint>)` for a file that does not exist. */
  static notFound(file: string, hint: string, cause?: unknown): ConfigError {
    return new ConfigError(`not found (${hint})`, { code: 'SERV_CONFIG_NOT_FOUND', file, cause });
  }

  /** `<file>: cannot be read (<reason>)` for a file that exists but cannot be read (a folder, no permission). */
  static unreadable(file: string, cause: unknown): ConfigError {
    return new ConfigError(`cannot be read (${errorText(cause)})`, { code: 'SERV_CONFIG_UNREADABLE', file, cause });
  }

  /** `<file>: invalid YAML at line L, column C: <parser message>` and the lines around it with a caret. */
  static yaml(file: string, line: number, column: number, parserMessage: string, excerpt: string, cause: unknown): ConfigError {
    return new ConfigError(`invalid YAML at line ${line}, column ${column}: ${parserMessage}\n${excerpt}`, {
      code: 'SERV_CONFIG_YAML', file, cause,
    });
  }
}

/** The path shown in messages: relative to the cwd when that is shorter than the absolute path, else absolute. */
export function displayPath(file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  return relative !== '' && relative.length < absolute.length ? relative : absolute;
}

/** Renders a found value for a message: strings JSON-quoted (shortened past 60 chars), scalars as written, else a type name. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 57)).slice(0, -1)}..."` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return `a ${typeof value}`;
}

/** The message of any thrown value; `instanceof Error` is avoided because errors from other realms (vm, jest) fail it. */
export function errorText(cause: unknown): string {
  const message = typeof cause === 'object' && cause !== null ? (cause as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(cause);
}

// The document root has no key path of its own; name it so the sentence still reads.
function keyLabel(keyPath: string): string {
  return keyPath === '' ? 'the top level' : keyPath;
}
