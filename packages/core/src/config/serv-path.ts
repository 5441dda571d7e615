import { fail, type At } from './validate';

/** Parameter types Serv paths understand: `{id:int}` digits, `{rest:path}` the rest, `{name:str}` (the default) a segment. */
export const PATH_PARAM_TYPES = ['int', 'path', 'str'] as const;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a route path's syntax superficially (leading "/", balanced braces, parameter names and types) and returns
 * it unchanged; the router does the real compiling, this only catches typos at load time with a key path attached.
 */
export function checkServPath(path: string, at: At): string {
  if (!path.startsWith('/')) fail(at, 'start with "/"', path);
  const seen = new Set<string>();
  let index = 0;
  while (index < path.length) {
    const open = path.indexOf('{', index);
    const close = path.indexOf('}', index);
    if (close !== -1 && (open === -1 || close < open)) {
      fail(at, `not contain "}" without an opening "{" (at "${path.slice(index, close + 1)}")`, path);
    }
    if (open === -1) break;
    if (close === -1) fail(at, `close "${path.slice(open)}" with "}"`, path);
    const token = path.slice(open, close + 1);
    const [name = '', type, ...extra] = path.slice(open + 1, close).split(':');
    if (!PARAM_NAME.test(name)) {
      fail(at, `use a parameter name of letters, digits and "_" not starting with a digit in "${token}"`, path);
    }
    if (extra.length > 0 || (type !== undefined && !(PATH_PARAM_TYPES as readonly string[]).includes(type))) {
      fail(at, `use a parameter type of int, path or str (or none) in "${token}"`, path);
    }
    if (seen.has(name)) fail(at, `not repeat the parameter "${name}" (in "${token}")`, path);
    seen.add(name);
    index = close + 1;
  }
  return path;
}

/** Normalises a router mount to a leading "/" and no trailing "/" (so "/" and "" mean "no prefix" and become ''). */
export function normaliseMount(mount: string, at: At): string {
  const collapsed = `/${mount.trim()}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return collapsed === '' ? '' : checkServPath(collapsed, at);
}
