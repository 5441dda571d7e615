// Imported rather than read from the global: `globalThis.Buffer` is a getter, which optimised code calls (through a
// generic global load) on every response.
import { Buffer } from 'node:buffer';
import type { ServerResponse } from 'node:http';

/** The content type of a plain string answer. */
export const TEXT_TYPE = 'text/plain; charset=utf-8';
/** The content type of a JSON answer. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The one place a complete body is written: status, headers (with `content-length`, except for 204/304), then the
 * body, or no body for HEAD. `Response.write` and the dispatcher's synchronous path both end here.
 */
export function writeWholeBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Uint8Array | null,
  head: boolean,
): number {
  const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (status !== 204 && status !== 304) headers['content-length'] = String(length);
  res.writeHead(status, headers);
  res.end(head || body === null ? undefined : body);
  return length;
}

/**
 * Writes a handler's plain return value at once (a string as text, a plain object or array as JSON, 200) without
 * building a Response, with `x-request-id: requestId`: the body's length in bytes, or -1, having written nothing,
 * for any other value or one JSON cannot encode. The request id travels in the one headers object given to
 * `writeHead` (no `setHeader` before it, which would send Node through its slower merging path).
 */
export function writePlainValue(res: ServerResponse, value: unknown, head: boolean, requestId: string): number {
  // The headers are created with every key, so that writeWholeBody filling in the length keeps the object's shape.
  if (typeof value === 'string') {
    return writeWholeBody(res, 200, { 'x-request-id': requestId, 'content-type': TEXT_TYPE, 'content-length': '' }, value, head);
  }
  // Anything with a prototype of its own (a Response, a Buffer, a Date …) takes the general path through toResponse.
  if (typeof value !== 'object' || value === null || !isPlainData(value)) return -1;
  let body: string;
  try {
    body = JSON.stringify(value);
  } catch {
    return -1;
  }
  return writeWholeBody(res, 200, { 'x-request-id': requestId, 'content-type': JSON_TYPE, 'content-length': '' }, body, head);
}

function isPlainData(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}
