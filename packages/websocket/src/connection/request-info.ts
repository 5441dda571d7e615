/** The path and raw query of a request target: `/ws?a=1` → `['/ws', 'a=1']`. */
export function splitRequestTarget(url: string): [path: string, queryString: string] {
  const index = url.indexOf('?');
  return index === -1 ? [url, ''] : [url.slice(0, index), url.slice(index + 1)];
}

/** Decode a query string into a record; a repeated name keeps its last value (read `queryString` for all of them). */
export function parseQuery(queryString: string): Record<string, string> {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  if (queryString === '') return query;
  for (const [name, value] of new URLSearchParams(queryString)) query[name] = value;
  return query;
}

/**
 * Build a lower-cased header record from Node's `rawHeaders` pairs joined with "\n" (HTTP forbids newlines in
 * header names and values); repeats are joined with ", " ("; " for Cookie), as HTTP allows, so no value is lost.
 */
export function headersFromText(headerText: string): Record<string, string> {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  if (headerText === '') return headers;
  const parts = headerText.split('\n');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = (parts[i] as string).toLowerCase();
    const value = parts[i + 1] as string;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}
