import { promises as fs } from 'node:fs';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { join, relative, resolve, sep } from 'node:path';
import type SendModule from 'send';
import { NotFoundError } from '../errors/http-errors';
import { ServError } from '../errors/serv-error';
import type { BaseContext } from './base-context';
import { confined } from './file-response';
import { own } from './own';
import { Response } from './responses';

/** `send` (and its MIME table), required on the first file served: an app that serves none does not pay for loading it. */
function send(...args: Parameters<typeof SendModule>): ReturnType<typeof SendModule> {
  return (require('send') as typeof SendModule)(...args);
}

/** Options of {@link serveStatic}. */
export interface StaticOptions {
  /** File served for a folder (default `index.html`); `false` answers 404 for folders. */
  index?: string | false;
  /** `Cache-Control: max-age` in seconds (default 0: revalidate with the ETag every time). */
  maxAgeS?: number;
  /** Add `immutable` to `Cache-Control` (for fingerprinted file names; default false). */
  immutable?: boolean;
}

/**
 * A handler serving the files under `root` at the route's `{path:path}` parameter (the folder itself, with its
 * index, when the route has none), through the `send` library: ETag and Last-Modified, `If-None-Match` /
 * `If-Modified-Since` → 304, `Range` → 206 / 416, HEAD, MIME types by extension. Dotfiles, `.`/`..` segments and
 * anything that resolves outside `root` (symbolic links included) answer 404.
 * @example app.addRoute({ path: '/static/{path:path}', handler: serveStatic('./public', { maxAgeS: 3600 }) });
 */
export function serveStatic(root: string, options: StaticOptions = {}): (ctx: BaseContext) => Promise<Response> {
  const { index, maxAgeS, immutable } = checkOptions(root, options);
  const base = resolve(root);
  return async function serveStaticFile(ctx: BaseContext): Promise<Response> {
    const requested = own(ctx.params, 'path');
    const segments = typeof requested === 'string' ? requested.split('/').filter((s) => s !== '') : [];
    // A dot segment never reaches here (the router refuses it); a dotfile or dot-folder is refused as if absent.
    if (segments.some((s) => s.startsWith('.') || s.includes('\\') || s.includes('\0'))) throw notFound(ctx);
    let file: string;
    let realRoot: string;
    try {
      realRoot = await fs.realpath(base);
      file = await confined(base, resolve(base, ...segments));
      if ((await fs.stat(file)).isDirectory()) {
        if (index === false) throw new Error('folder without index');
        file = await confined(base, join(file, index));
        if (!(await fs.stat(file)).isFile()) throw new Error('index is not a file');
      }
    } catch {
      throw notFound(ctx);
    }
    const rel = relative(realRoot, file).split(sep).map(encodeURIComponent).join('/');
    return new StaticFileResponse(realRoot, `/${rel}`, { maxAge: maxAgeS * 1000, immutable });
  };
}

function notFound(ctx: BaseContext): NotFoundError {
  return new NotFoundError(`No file for ${ctx.path}`);
}

function checkOptions(root: unknown, options: StaticOptions): Required<StaticOptions> {
  const where = `serveStatic(${JSON.stringify(root)})`;
  if (typeof root !== 'string' || root === '') throw new ServError('SERV_STATIC', `${where}: root must be a non-empty folder path`);
  const { index = 'index.html', maxAgeS = 0, immutable = false } = options;
  if (index !== false && (typeof index !== 'string' || index === '' || /[\\/]/.test(index) || index.startsWith('.'))) {
    throw new ServError('SERV_STATIC', `${where}: index must be a file name such as "index.html" or false, got ${JSON.stringify(index)}`);
  }
  if (!Number.isSafeInteger(maxAgeS) || maxAgeS < 0) {
    throw new ServError('SERV_STATIC', `${where}: maxAgeS must be a whole number of seconds >= 0, got ${JSON.stringify(maxAgeS)}`);
  }
  if (typeof immutable !== 'boolean') throw new ServError('SERV_STATIC', `${where}: immutable must be true or false, got ${JSON.stringify(immutable)}`);
  return { index, maxAgeS, immutable };
}

/** One already-confined file handed to `send`, which answers conditional, range and HEAD requests itself. */
class StaticFileResponse extends Response {
  constructor(
    private readonly root: string,
    private readonly path: string,
    private readonly cache: { maxAge: number; immutable: boolean },
  ) {
    super(null);
  }

  override write(res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(this.headers)) res.setHeader(name, value);
    return new Promise<void>((done, fail) => {
      res.once('close', () => done());
      send(res.req, this.path, { root: this.root, dotfiles: 'ignore', index: false, ...this.cache })
        .on('error', (err: { status?: number; statusCode?: number; headers?: Record<string, string> }) => {
          const status = err.status ?? err.statusCode ?? 500;
          if (res.headersSent) {
            fail(err);
            return;
          }
          const body = STATUS_CODES[status] ?? 'Error';
          res.writeHead(status, { ...err.headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
          res.end(res.req.method === 'HEAD' ? undefined : body);
        })
        .on('directory', () => res.writeHead(404, { 'content-length': '0' }).end())
        .pipe(res);
    });
  }
}
