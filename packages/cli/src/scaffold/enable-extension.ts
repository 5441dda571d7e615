import { isMap, isScalar, type Document } from 'yaml';
import { appendUnique, plain, removeWhere } from './yaml-edit';

/** The extension folder an `extensions:` item names: `name` or `{ extension: name, settings }`. */
export function extensionIdOf(item: unknown): unknown {
  if (isScalar(item)) return item.value;
  if (isMap(item)) return plain(item.get('extension', true));
  return undefined;
}

/** Adds `id` to `extensions:` unless it is there in either form; returns whether the document changed. */
export function enableInDocument(document: Document, id: string): boolean {
  const list = document.get('extensions', true);
  const items = list !== null && typeof list === 'object' && 'items' in list ? (list as { items: unknown[] }).items : [];
  if (items.some((item) => extensionIdOf(item) === id)) return false;
  return appendUnique(document, 'extensions', id);
}

/** Removes `id` from `extensions:` in either form; returns whether the document changed. */
export function disableInDocument(document: Document, id: string): boolean {
  return removeWhere(document, 'extensions', (item) => extensionIdOf(item) === id) > 0;
}
