const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `record[key]` only when `key` is the record's own property: a key chosen by a client (`constructor`,
 * `__proto__`, `toString`) must never reach an inherited member of `Object.prototype`.
 * @example own(ctx.query, 'constructor') // undefined unless the query string has "constructor="
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn.call(record, key) ? record[key] : undefined;
}

/** A fresh record with no prototype, for maps whose keys come from the client. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
