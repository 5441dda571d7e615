import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DependencyContainer } from 'tsyringe';
import type { App } from '../app/app';
import { BaseContext, EMPTY } from './base-context';
import { parseBody, readRawBody, type ParsedBody } from './body';
import { own } from './own';
import type { ClientAddress, RequestOrigin } from './proxy-trust';
import type { Response } from './responses';

/**
 * One HTTP request: what middleware receives and what `@Inject() ctx: RequestContext` gives a handler.
 * Middleware may read or replace `response` after `await next()`.
 */
export class RequestContext extends BaseContext {
  params: Record<string, string | number> = EMPTY;
  /** The response the handler produced; set before outer middleware resume. */
  response: Response | undefined;
  /** The matched route's pattern (`/users/{id:int}`), undefined when no route matched (404, 405). */
  routePath: string | undefined = undefined;
  private originCache: RequestOrigin | undefined;
  private stateCache: Record<string, unknown> | undefined;
  private bodyPromise: Promise<ParsedBody> | undefined;
  private rawPromise: Promise<Buffer> | undefined;

  constructor(
    app: App,
    /** Node's request object. */
    readonly req: IncomingMessage,
    /** Node's response object, for the rare handler that writes itself. */
    readonly res: ServerResponse,
    /** The request path without the query string. */
    readonly path: string,
    /** The raw query string without `?`. */
    readonly queryString: string,
    /** See `BaseContext.requestId`. */
    readonly requestId = '',
    /** The counter `requestId` was made from, 0 when it came from a trusted proxy (the request log writes it as digits). */
    readonly requestSeq = 0,
  ) {
    super(app);
  }

  get client(): ClientAddress {
    return this.origin.client;
  }

  get scheme(): 'http' | 'https' {
    return this.origin.scheme;
  }

  get host(): string {
    return this.origin.host;
  }

  private get origin(): RequestOrigin {
    return (this.originCache ??= this.app.proxyTrust.resolve(this.req));
  }

  header(name: string): string | undefined {
    const value = own(this.req.headers, name.toLowerCase());
    return Array.isArray(value) ? value.join(', ') : value;
  }

  get headers(): Readonly<Record<string, string | string[] | undefined>> {
    return this.req.headers;
  }

  /** Free-form per-request state for middleware and handlers. */
  get state(): Record<string, unknown> {
    return (this.stateCache ??= {});
  }

  /** The upper-case HTTP method. */
  get method(): string {
    return this.req.method ?? 'GET';
  }

  /** The raw body bytes, read once, limited by `max_body_bytes` (413 beyond). */
  rawBody(): Promise<Buffer> {
    return (this.rawPromise ??= readRawBody(this.req, this.app.settings.maxBodyBytes));
  }

  /** The parsed body: JSON, urlencoded form object, text, or bytes, by `Content-Type`. */
  body<T = ParsedBody>(): Promise<T> {
    return (this.bodyPromise ??= this.rawBody().then((raw) => parseBody(raw, this.header('content-type')))) as Promise<T>;
  }

  protected registerScoped(container: DependencyContainer): void {
    container.register(RequestContext, { useValue: this });
  }
}
