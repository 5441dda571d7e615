import * as fs from 'node:fs';
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, YAMLException, type Type } from 'js-yaml';
import { ConfigError, errorText } from './config-error';

/**
 * YAML 1.2's core schema (only `true`/`false` are booleans, dates stay strings) plus merge keys (`<<: *base`).
 * Any other tag, `!!js/function` included, is an error: a config file never builds code or exotic objects.
 */
// js-yaml exports its built-in types as `types`; @types/js-yaml does not declare them.
const SCHEMA = CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: Type } }).types.merge] });

/**
 * Most values an alias may expand to. Anchors are shared objects to js-yaml, so a "billion laughs" file parses
 * fast, but anything that walks the result (validation, `serv config show`) would expand it; refuse it here.
 */
const MAX_EXPANDED_NODES = 100_000;

/** Parses one YAML document to plain JS (null for an empty or comment-only file); errors name the line and column. */
export function parseYaml(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, filename: file });
  } catch (cause) {
    if (cause instanceof YAMLException && cause.mark !== undefined && cause.mark !== null) {
      const { line, column } = cause.mark;
      throw ConfigError.yaml(file, line + 1, column + 1, cause.reason, excerpt(text, line, column), cause);
    }
    throw new ConfigError(`invalid YAML: ${errorText(cause)}`, { code: 'SERV_CONFIG_YAML', file, cause });
  }
  if (expandedSize(value, new Map()) > MAX_EXPANDED_NODES) {
    throw new ConfigError(
      `invalid YAML: aliases expand to more than ${MAX_EXPANDED_NODES} values (an alias bomb?); write the values out instead of nesting aliases`,
      { code: 'SERV_CONFIG_YAML', file },
    );
  }
  return value === undefined ? null : value;
}

// The number of values the document would have with every alias written out, counting each shared object once.
function expandedSize(value: unknown, seen: Map<object, number>): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = seen.get(value);
  if (known !== undefined) return known;
  seen.set(value, 1); // a cycle (`&a [*a]`) counts once instead of looping
  let size = 1;
  for (const child of Object.values(value)) {
    size += expandedSize(child, seen);
    if (size > MAX_EXPANDED_NODES) break;
  }
  seen.set(value, size);
  return size;
}

// Up to two lines before the error line, the line itself, and a caret under the column: what an editor would show.
function excerpt(text: string, line: number, column: number): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(0, line - 2);
  const last = Math.min(line, lines.length - 1);
  const width = String(last + 1).length;
  const shown: string[] = [];
  for (let i = first; i <= last; i++) shown.push(`${String(i + 1).padStart(width)} | ${lines[i]}`);
  shown.push(`${' '.repeat(width)} | ${' '.repeat(Math.max(0, column))}^`);
  return shown.join('\n');
}

/** Reads a config file as UTF-8; a missing file becomes `<file>: not found (<hint>)`. */
export function readConfigText(file: string, hint: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw ConfigError.notFound(file, hint, cause);
    throw ConfigError.unreadable(file, cause);
  }
}
