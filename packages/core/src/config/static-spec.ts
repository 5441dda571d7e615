import * as path from 'node:path';
import { checkServPath } from './serv-path';
import { expectBool, fail, expectInt, expectKnownKeys, expectList, expectMapping, expectString, isUnset, itemAt, keyAt, optional, type At } from './validate';

/** One `static:` entry of a router in extension.yaml: a folder served under a path. */
export interface StaticSpec {
  /** URL path under the router's mount, e.g. `/assets`. */
  path: string;
  /** Absolute folder to serve (written relative to the extension folder). */
  root: string;
  /** File served for a folder; false for none. Default `index.html`. */
  index: string | false;
  /** `Cache-Control: max-age` in seconds. Default 0. */
  maxAgeS: number;
  /** Add `immutable` to `Cache-Control`. Default false. */
  immutable: boolean;
  /** Key path of the entry, e.g. `routers[0].static[0]`. */
  keyPath: string;
}

/** Validates a router's `static:` list at `at`; roots resolve against `dir`, the extension folder. */
export function readStatics(value: unknown, at: At, dir: string): StaticSpec[] {
  if (isUnset(value)) return [];
  return expectList(value, at).map((item, index) => {
    const entryAt = itemAt(at, index);
    const block = expectMapping(item, entryAt);
    expectKnownKeys(block, entryAt, ['path', 'root', 'index', 'max_age_s', 'immutable']);
    const index_ = block.index === false ? false : optional(block.index, keyAt(entryAt, 'index'), (v, a) => expectString(v, a));
    return {
      path: staticPath(block.path, keyAt(entryAt, 'path')),
      root: path.resolve(dir, expectString(block.root, keyAt(entryAt, 'root'))),
      index: index_ ?? 'index.html',
      maxAgeS: optional(block.max_age_s, keyAt(entryAt, 'max_age_s'), (v, a) => expectInt(v, a, 0)) ?? 0,
      immutable: optional(block.immutable, keyAt(entryAt, 'immutable'), expectBool) ?? false,
      keyPath: entryAt.keyPath,
    };
  });
}

function staticPath(value: unknown, at: At): string {
  const written = checkServPath(expectString(value, at), at);
  if (written.includes('{')) fail(at, 'be a plain path without parameters (the file path is appended to it)', written);
  return written;
}
