import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentDisposition } from './content-disposition';
import { Response, type ResponseInit } from './responses';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

/** Options of a {@link FileResponse}: a download name, a content type, and the folder the file must stay inside. */
export interface FileResponseOptions extends ResponseInit {
  /** Sent as `Content-Disposition: attachment` (RFC 6266, with `filename*` for names that are not plain ASCII). */
  filename?: string;
  /** Overrides the type guessed from the extension. */
  contentType?: string;
  /**
   * Confine the file to this folder: the path is resolved against it, and a path that lands outside it — through
   * `..` or through a symbolic link — answers 404, never the file.
   */
  root?: string;
}

/**
 * A file streamed from disk; a missing file answers 404. With `root`, a path outside the root answers 404 too.
 * @example `return new FileResponse(ctx.params.path as string, { root: './public' });`
 */
export class FileResponse extends Response {
  /** The file to send: `filePath` resolved against `root` when one is given. */
  readonly filePath: string;
  private readonly root: string | undefined;

  constructor(filePath: string, options: FileResponseOptions = {}) {
    super(null, options);
    this.root = options.root === undefined ? undefined : resolve(options.root);
    this.filePath = this.root === undefined ? filePath : resolve(this.root, filePath);
    this.headers['content-type'] ??= options.contentType ?? MIME[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
    if (options.filename !== undefined) this.setHeader('content-disposition', contentDisposition(options.filename));
  }

  override async write(res: ServerResponse, head: boolean): Promise<void> {
    let size: number;
    let path: string;
    try {
      path = this.root === undefined ? this.filePath : await confined(this.root, this.filePath);
      const stat = await fs.stat(path);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      const body = 'Not Found';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) });
      res.end(head ? undefined : body);
      return;
    }
    this.headers['content-length'] = String(size);
    res.writeHead(this.status, this.headers);
    if (head) {
      res.end();
      return;
    }
    await pipeline(createReadStream(path), res);
  }
}

/**
 * The real path of `file` if it lies inside the real path of `root` (symbolic links followed on both), else a
 * rejection: the lexical check stops `..`, the real-path check stops a link that points outside.
 */
export async function confined(root: string, file: string): Promise<string> {
  if (!isInside(root, file)) throw new Error(`${file} is outside ${root}`);
  const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
  if (!isInside(realRoot, realFile)) throw new Error(`${file} resolves outside ${root}`);
  return realFile;
}

/** True when `path` is `root` itself or below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
