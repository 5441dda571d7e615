import { RouteDefinitionError } from '../errors/serv-error';

/** A compiled Serv path: `{name}` one segment, `{name:int}` digits → number, `{name:path}` the rest. */
export interface PathPattern {
  /** The path as written, normalised to a leading `/` and no trailing `/`. */
  readonly path: string;
  /** Parameter names in order. */
  readonly names: readonly string[];
  /** True when the path has no parameters (matched by a map lookup). */
  readonly isStatic: boolean;
  /**
   * Match a normalised request path, still percent-encoded; the params (decoded after matching, in a null-prototype
   * record) or null. A `{name}` value that decodes to a `/`, a `.`/`..` segment or a NUL does not match, nor does a
   * `{name:path}` value with a `.`/`..` segment or a NUL once decoded: a parameter can never climb out of its place.
   */
  match(path: string): Record<string, string | number> | null;
}

const NO_PARAMS: Record<string, string | number> = Object.freeze(Object.create(null)) as Record<string, string | number>;
const PARAM = /\{([^{}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPES = new Map<string, string>([
  ['', '([^/]+)'],
  ['str', '([^/]+)'],
  ['int', '(\\d+)'],
  ['path', '(.+)'],
]);

/** Normalise a path: one leading slash, no trailing slash, `''` → `/`. */
export function normalizePath(path: string): string {
  let start = 0;
  let end = path.length;
  while (start < end && path.charCodeAt(start) === 47) start++;
  while (end > start && path.charCodeAt(end - 1) === 47) end--;
  if (start === 1 && end === path.length) return path; // already normal: the usual request path, no new string
  return start === 0 && end === path.length && path.length > 0 ? `/${path}` : `/${path.slice(start, end)}`;
}

/** Join a mount prefix and a route path. */
export function joinPaths(prefix: string, path: string): string {
  const a = normalizePath(prefix);
  const b = normalizePath(path);
  if (a === '/') return b;
  return b === '/' ? a : a + b;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Compile a Serv path pattern; `where` names the declaration in errors. */
export function compilePath(raw: string, where: string): PathPattern {
  if (typeof raw !== 'string') {
    throw new RouteDefinitionError(`${where}: path must be a string, got ${typeof raw}`);
  }
  const path = normalizePath(raw);
  const names: string[] = [];
  const kinds: ParamKind[] = [];
  /** The literal text before each parameter. */
  const before: string[] = [];
  let source = '';
  let literals = '';
  let last = 0;
  for (const m of path.matchAll(PARAM)) {
    const [name, type = ''] = m[1].split(':', 2);
    if (!NAME.test(name)) {
      throw new RouteDefinitionError(`${where}: path "${raw}" has a bad parameter "{${m[1]}}" (names look like {room_id})`);
    }
    const group = TYPES.get(type);
    if (group === undefined) {
      throw new RouteDefinitionError(
        `${where}: path "${raw}" has an unknown parameter type "${type}" in "{${m[1]}}" (use {name}, {name:int} or {name:path})`,
      );
    }
    if (names.includes(name)) {
      throw new RouteDefinitionError(`${where}: path "${raw}" names the parameter "${name}" twice`);
    }
    before.push(path.slice(last, m.index));
    literals += path.slice(last, m.index);
    source += escapeRegExp(path.slice(last, m.index));
    source += group;
    names.push(name);
    kinds.push(type === 'int' ? INT : type === 'path' ? PATH : SEGMENT);
    last = m.index + m[0].length;
  }
  const rest = path.slice(last);
  literals += rest;
  if (literals.includes('{') || literals.includes('}')) {
    throw new RouteDefinitionError(`${where}: path "${raw}" has an unbalanced "{" or "}"`);
  }
  if (names.length === 0) {
    // A static match shares one frozen, empty params object: nothing to allocate per request or connection.
    return { path, names, isStatic: true, match: (p) => (p === path ? NO_PARAMS : null) };
  }
  const match = wholeSegments(before, kinds, rest)
    ? segmentMatcher(names, kinds, before, rest)
    : regexMatcher(names, kinds, new RegExp(`^${source}${escapeRegExp(rest)}$`));
  return { path, names, isStatic: false, match };
}

/**
 * Whether every parameter is a whole segment (`/users/{id}/posts`, not `/v{n}` or `/{file}.{ext}`) and a `{name:path}`
 * only comes last: then matching needs no backtracking, and `segmentMatcher` gives the regular expression's answer.
 */
function wholeSegments(before: readonly string[], kinds: readonly ParamKind[], rest: string): boolean {
  for (let i = 0; i < kinds.length; i++) {
    const after = i + 1 < kinds.length ? before[i + 1] : rest;
    if (!before[i].endsWith('/') || (after !== '' && !after.startsWith('/'))) return false;
    if (kinds[i] === PATH && after !== '') return false;
  }
  return true;
}

/**
 * Matches a whole-segment pattern by walking the request path: literal text compared in place, a segment up to the
 * next `/`, digits for `{name:int}` (converted as they are read). It answers what the pattern's regular expression
 * would, for a fraction of a regular-expression call (no match array, no substrings for numbers).
 */
function segmentMatcher(
  names: readonly string[],
  kinds: readonly ParamKind[],
  before: readonly string[],
  rest: string,
): PathPattern['match'] {
  const first = before[0] as string;
  return (p) => {
    // Most paths a pattern is tried on differ in their first literal: answer those before allocating anything.
    if (!p.startsWith(first)) return null;
    const params = Object.create(null) as Record<string, string | number>;
    let pos = 0;
    for (let i = 0; i < names.length; i++) {
      if (!p.startsWith(before[i], pos)) return null;
      pos += before[i].length;
      const kind = kinds[i];
      let end: number;
      if (kind === INT) {
        end = pos;
        while (end < p.length && isDigit(p.charCodeAt(end))) end++;
        if (end === pos) return null;
        params[names[i]] = intValue(p, pos, end);
      } else {
        end = kind === PATH ? p.length : p.indexOf('/', pos);
        if (end < 0) end = p.length;
        if (end === pos) return null;
        const raw = p.slice(pos, end);
        // `(.+)` does not match line terminators; `[^/]+` does.
        if (kind === PATH && LINE_TERMINATOR.test(raw)) return null;
        const value = decodeParam(raw, kind === PATH);
        if (value === null) return null;
        params[names[i]] = value;
      }
      pos = end;
    }
    return p.length - pos === rest.length && p.startsWith(rest, pos) ? params : null;
  };
}

/** Matches any pattern with its regular expression (parameters inside a segment need its backtracking). */
function regexMatcher(names: readonly string[], kinds: readonly ParamKind[], regex: RegExp): PathPattern['match'] {
  return (p) => {
    const m = regex.exec(p);
    if (m === null) return null;
    const params = Object.create(null) as Record<string, string | number>;
    for (let i = 0; i < names.length; i++) {
      const kind = kinds[i];
      if (kind === INT) {
        params[names[i]] = Number(m[i + 1]);
        continue;
      }
      const value = decodeParam(m[i + 1], kind === PATH);
      if (value === null) return null;
      params[names[i]] = value;
    }
    return params;
  };
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** The number the digits `text[start, end)` spell, as `Number()` reads it, without cutting them out first. */
function intValue(text: string, start: number, end: number): number {
  // Up to 15 digits the sum is exact; longer runs go through Number() for its rounding.
  if (end - start > 15) return Number(text.slice(start, end));
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

type ParamKind = 0 | 1 | 2;
const SEGMENT: ParamKind = 0;
const INT: ParamKind = 1;
const PATH: ParamKind = 2;

/**
 * Decode one matched parameter, or null when it must not match: bad percent-encoding, a NUL, a `/` inside a
 * one-segment parameter (`..%2f..%2fetc` on `{name}`), or a `.`/`..` segment once decoded (`%2e%2e`, `..%2f` on
 * `{name:path}`), so that `join(root, param)` can never leave `root`.
 */
function decodeParam(raw: string, multiSegment: boolean): string | null {
  if (!raw.includes('%')) return multiSegment ? (hasDotSegment(raw) ? null : raw) : isDotSegment(raw) ? null : raw;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (value.includes('\0')) return null;
  if (multiSegment) return hasDotSegment(value) ? null : value;
  return value.includes('/') || isDotSegment(value) ? null : value;
}

const isDotSegment = (segment: string): boolean => segment === '.' || segment === '..';

/** True when a `/`-separated value has a `.` or `..` segment (a backslash counts as a separator too). */
function hasDotSegment(value: string): boolean {
  if (!value.includes('.')) return false;
  return value.split(/[\\/]/).some(isDotSegment);
}
