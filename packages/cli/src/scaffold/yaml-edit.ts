import { renameSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';

/** Parses YAML text for editing; the caller has validated it already, so a parse failure here is a bug. */
export function editableDocument(text: string, file: string): Document {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`${file}: cannot edit, invalid YAML: ${document.errors[0]!.message}`);
  return document;
}

/**
 * The sequence at `key` of the top-level mapping, created when missing or empty (`key:` or `key: []`), and
 * switched from flow to block style when empty so added items land one per line.
 */
export function sequenceAt(document: Document, key: string): YAMLSeq {
  const existing = document.get(key, true);
  if (isSeq(existing)) {
    if (existing.items.length === 0) existing.flow = false;
    return existing;
  }
  if (existing !== undefined && existing !== null && !(isScalar(existing) && existing.value === null)) {
    throw new Error(`cannot add to "${key}": it is not a list`);
  }
  const created = document.createNode([]) as YAMLSeq;
  document.set(key, created);
  return created;
}

/** Appends `value` to the top-level list `key` unless an equal scalar is already there; returns whether it added. */
export function appendUnique(document: Document, key: string, value: string): boolean {
  const list = sequenceAt(document, key);
  if (list.items.some((item) => plain(item) === value)) return false;
  list.add(document.createNode(value));
  return true;
}

/**
 * Adds a route to router `routerName` (created with an empty `routes:` list when missing). A route with the same
 * handler is replaced, so `--force` does not leave duplicates behind.
 */
export function addRoute(document: Document, routerName: string, route: Record<string, string | boolean>): void {
  const routers = sequenceAt(document, 'routers');
  let router = routers.items.find((item): item is YAMLMap => isMap(item) && plain(item.get('name', true)) === routerName);
  if (router === undefined) {
    router = document.createNode({ name: routerName, routes: [] }) as YAMLMap;
    routers.add(router);
  }
  const existing: unknown = router.get('routes', true);
  let list: YAMLSeq;
  if (isSeq(existing)) {
    list = existing;
  } else {
    list = document.createNode([]) as YAMLSeq;
    router.set('routes', list);
  }
  if (list.items.length === 0) list.flow = false;
  list.items = list.items.filter((item) => !(isMap(item) && plain(item.get('handler', true)) === route.handler));
  list.add(document.createNode(route));
}

/** Removes every item of the top-level list `key` for which `matches` holds; returns how many were removed. */
export function removeWhere(document: Document, key: string, matches: (item: unknown) => boolean): number {
  const list = document.get(key, true);
  if (!isSeq(list)) return 0;
  const before = list.items.length;
  list.items = list.items.filter((item) => !matches(item));
  return before - list.items.length;
}

/** The plain JS value of a node (scalars unwrapped), for comparisons. */
export function plain(node: unknown): unknown {
  if (node !== null && typeof node === 'object' && 'toJSON' in node && typeof (node as { toJSON: unknown }).toJSON === 'function') {
    return (node as { toJSON(): unknown }).toJSON();
  }
  return node;
}

/** Renders a document without folding long lines. */
export function renderDocument(document: Document): string {
  return document.toString({ lineWidth: 0 });
}

/** Writes beside the target and renames over it, so an interrupted write never leaves half a file. */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
