import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serializeCookie, type CookieOptions } from './cookies';
import { checkHeader } from './header-check';
import { JSON_TYPE, TEXT_TYPE, writeWholeBody } from './write-body';

/** Status and headers a response starts with. */
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string | string[]>;
}

/** A body a {@link Response} can carry. */
export type ResponseBody = string | Uint8Array | null | Readable | AsyncIterable<string | Uint8Array>;

/** An HTTP response: status, headers, cookies and a body; the base of every response class. */
export class Response {
  status: number;
  readonly headers: Record<string, string | string[]>;
  body: ResponseBody;

  constructor(body: ResponseBody = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    this.headers = {};
    if (init.headers !== undefined) {
      for (const [k, v] of Object.entries(init.headers)) this.setHeader(k, v);
    }
  }

  /** Set (or replace) a header; a name or value Node would refuse throws a `HeaderValueError` here, not at send time. */
  setHeader(name: string, value: string | string[]): this {
    checkHeader(name, value);
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  /** Add a `Set-Cookie` header. */
  setCookie(name: string, value: string, options?: CookieOptions): this {
    const existing = this.headers['set-cookie'];
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    this.headers['set-cookie'] = [...list, serializeCookie(name, value, options)];
    return this;
  }

  /** Ask the client to delete a cookie (an expired, empty one with the same path and domain). */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain'> = {}): this {
    return this.setCookie(name, '', { ...options, maxAgeSeconds: 0, expires: new Date(0) });
  }

  /** Write this response to Node's `ServerResponse`; `head` omits the body. */
  async write(res: ServerResponse, head: boolean): Promise<void> {
    const body = this.body;
    if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
      writeWholeBody(res, this.status, this.headers, body, head);
      return;
    }
    res.writeHead(this.status, this.headers);
    if (head) {
      res.end();
      return;
    }
    const stream = body instanceof Readable ? body : Readable.from(body);
    await pipeline(stream, res);
  }
}

/** `text/html; charset=utf-8`. @example `return new HtmlResponse('<h1>Hi</h1>');` */
export class HtmlResponse extends Response {
  constructor(html: string, init: ResponseInit = {}) {
    super(html, init);
    this.headers['content-type'] ??= 'text/html; charset=utf-8';
  }
}

/** `text/plain; charset=utf-8`. @example `return new TextResponse('pong');` */
export class TextResponse extends Response {
  constructor(text: string, init: ResponseInit = {}) {
    super(text, init);
    this.headers['content-type'] ??= TEXT_TYPE;
  }
}

/** A JSON-encoded value, `application/json`. @example `return new JsonResponse({ ok: true }, { status: 201 });` */
export class JsonResponse extends Response {
  constructor(value: unknown, init: ResponseInit = {}) {
    super(JSON.stringify(value) ?? 'null', init);
    this.headers['content-type'] ??= JSON_TYPE;
  }
}

/** A redirect (302 by default) to `location`. @example `return new RedirectResponse('/login');` */
export class RedirectResponse extends Response {
  constructor(location: string, status = 302, init: ResponseInit = {}) {
    super(null, { ...init, status });
    this.setHeader('location', location);
  }
}

/** A body streamed from an async iterable or a Readable. @example `return new StreamingResponse(generate(), { contentType: 'text/event-stream' });` */
export class StreamingResponse extends Response {
  constructor(source: Readable | AsyncIterable<string | Uint8Array>, options: ResponseInit & { contentType?: string } = {}) {
    super(source, options);
    this.headers['content-type'] ??= options.contentType ?? 'application/octet-stream';
  }
}

/** Turn a handler's return value into a Response: strings → text, Buffers → bytes, objects → JSON, nothing → 204. */
export function toResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  if (typeof value === 'string') return new TextResponse(value);
  if (value === undefined || value === null) return new Response(null, { status: 204 });
  if (value instanceof Uint8Array) {
    return new Response(value, { headers: { 'content-type': 'application/octet-stream' } });
  }
  return new JsonResponse(value);
}
