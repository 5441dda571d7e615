import type { IncomingMessage } from 'node:http';
import { BadRequestError, PayloadTooLargeError } from '../errors/http-errors';
import { parseQuery } from './query';

/** A parsed request body: JSON value, urlencoded form, text, or raw bytes. */
export type ParsedBody = unknown;

/** Read the whole request body, refusing more than `limitBytes` with a 413. */
export function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        req.resume();
        reject(new PayloadTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', (err) => reject(new BadRequestError(`Could not read the request body: ${err.message}`, { cause: err })));
  });
}

/** Parse a body by its content type: JSON, urlencoded, `text/*` as string, anything else as a Buffer. */
export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (raw.length === 0 && type !== 'text/plain') return undefined;
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new BadRequestError(`Invalid JSON body: ${(err as Error).message}`, { cause: err });
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return parseQuery(raw.toString('utf8'));
  }
  if (type.startsWith('text/')) return raw.toString('utf8');
  return raw;
}
