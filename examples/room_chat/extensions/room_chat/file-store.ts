import { Injectable } from '@serv/core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';

/** A shared file as messages carry it. */
export interface SharedFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
}

/** Where uploads live: `data/files` of the example, next to serv.config.yaml (one folder shared by every instance). */
export const FILES_DIR = resolve(__dirname, '..', '..', 'data', 'files');

const ID = /^[A-Za-z0-9_-]{22}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/** Images a browser may show inline; anything else (SVG and HTML above all) is only ever downloaded. */
export const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * Uploaded files: the bytes under a random id, and beside them a small JSON file with the original name and type,
 * which downloads read back.
 */
@Injectable()
export class FileStore {
  readonly dir = FILES_DIR;

  /** Stores `bytes` under a new random id and describes them. */
  async save(name: string, mime: string, bytes: Buffer): Promise<SharedFile> {
    const id = randomBytes(16).toString('base64url');
    const file = { id, name: safeFileName(name), mime: MIME.test(mime) ? mime : 'application/octet-stream', size: bytes.length };
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(resolve(this.dir, id), bytes);
    await fs.writeFile(resolve(this.dir, `${id}.json`), JSON.stringify(file));
    return { ...file, url: `/files/${id}/${encodeURIComponent(file.name)}` };
  }

  /** What was stored under `id`, or undefined for an id that is malformed or unknown. */
  async describe(id: string): Promise<Omit<SharedFile, 'url'> | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await fs.readFile(resolve(this.dir, `${id}.json`), 'utf8')) as Omit<SharedFile, 'url'>;
    } catch {
      return undefined;
    }
  }
}

/**
 * A name that is safe as one URL path segment and in a download header: no path separators or control characters,
 * not `.`/`..`, at most 120 characters (the extension kept).
 */
export function safeFileName(name: string): string {
  let clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 12 ? clean.slice(dot) : '';
    clean = clean.slice(0, 120 - ext.length) + ext;
  }
  return clean === '' || /^\.+$/.test(clean) ? 'file' : clean;
}
