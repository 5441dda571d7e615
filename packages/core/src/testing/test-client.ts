import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { App } from '../app/app';
import type { ListenAddress } from '../app/app-options';
import { ServError } from '../errors/serv-error';
import { getProtocol, protocolInstallHint } from '../protocol/registry';
import type { TestSocket, TestWebSocketOptions } from './test-socket';

/** A response as the test client sees it. */
export interface TestResponse {
  status: number;
  /** Headers with lower-case names. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

/** What a test request may carry. */
export interface TestRequestOptions {
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  /** A raw body. */
  body?: string | Uint8Array;
  /** A value sent as JSON (sets `Content-Type: application/json`). */
  json?: unknown;
  /** Fields sent urlencoded. */
  form?: Record<string, string>;
}

/**
 * Talks to an app over real sockets on 127.0.0.1 with a port the client picks; `close()` shuts the app down.
 *
 * @example
 * ```ts
 * const client = createTestClient(app);
 * const res = await client.get('/users/1');
 * expect(res.json()).toEqual({ id: 1 });
 * await client.close();
 * ```
 */
export class TestClient {
  private address: Promise<ListenAddress> | undefined;

  constructor(readonly app: App) {}

  /** The base URL, listening first if needed. */
  async baseUrl(): Promise<string> {
    this.address ??= this.app.address !== undefined ? Promise.resolve(this.app.address) : this.app.listen({ host: '127.0.0.1', port: 0 });
    return (await this.address).url;
  }

  get(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('POST', path, options);
  }

  put(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, options);
  }

  head(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, options);
  }

  options(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, options);
  }

  /** Send one request and read the whole response. */
  async request(method: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    const url = new URL(path, await this.baseUrl());
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.append(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.form !== undefined) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: false, rejectUnauthorized: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: buf,
            text: () => buf.toString('utf8'),
            json: <T>() => JSON.parse(buf.toString('utf8')) as T,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Open a WebSocket to `path`; a refused handshake rejects with an error carrying its HTTP `status`. */
  async websocket(path: string, options: TestWebSocketOptions = {}): Promise<TestSocket> {
    return this.connect('websocket', 'ws', path, options);
  }

  /** Open a test connection through the installed protocol `kind`, whose package supplies the connector. */
  private async connect(kind: string, scheme: string, path: string, options: TestWebSocketOptions): Promise<TestSocket> {
    const connect = getProtocol(kind)?.connectTest;
    if (connect === undefined) {
      throw new ServError('SERV_PROTOCOL_MISSING', `client.${kind}() needs the @serv/${kind} package; ${protocolInstallHint(kind)}`);
    }
    const url = new URL(path, await this.baseUrl());
    url.protocol = url.protocol === 'https:' ? `${scheme}s:` : `${scheme}:`;
    return connect(url.toString(), options);
  }

  /** Close the app (and with it every connection the client opened). */
  close(): Promise<void> {
    return this.app.close();
  }
}

/** Create a test client for `app`; it listens on 127.0.0.1 port 0 on first use. */
export function createTestClient(app: App): TestClient {
  return new TestClient(app);
}
