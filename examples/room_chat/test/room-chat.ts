import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectTestWebSocket, type TestWebSocket } from '@serv/websocket';
import { launchExample, type LaunchedExample } from '../../websocket_chat/test/launch-example';

export { stopLaunchedExamples } from '../../websocket_chat/test/launch-example';

/** The room chat's folder in the repository. */
export const ROOM_CHAT_DIR = resolve(__dirname, '..');
const REPO_NODE_MODULES = resolve(ROOM_CHAT_DIR, '../../node_modules');

const copies: string[] = [];

/**
 * A fresh copy of the example in a temp folder (its config files and extension; no data), with `node_modules`
 * linked to the repository's, so that `serv launch` there behaves as in the example folder but with its own data.
 * With `prefix` (lower-case letters, digits, `_`), serv.production.yaml's Redis key prefixes become `<prefix>:` and
 * its PostgreSQL table prefix `<prefix>_`, so that runs sharing one Redis and one database never meet.
 */
export function copyRoomChat(options: { prefix?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'room-chat-'));
  copies.push(dir);
  for (const entry of ['serv.config.yaml', 'serv.production.yaml', 'extensions']) {
    cpSync(join(ROOM_CHAT_DIR, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(REPO_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  if (options.prefix !== undefined) {
    const file = join(dir, 'serv.production.yaml');
    const yaml = readFileSync(file, 'utf8').replace(/"room_chat:"/g, `"${options.prefix}:"`).replace(/"room_chat_"/g, `"${options.prefix}_"`);
    writeFileSync(file, yaml);
  }
  return dir;
}

/** Deletes every copy made by copyRoomChat (for afterAll, once its servers have stopped). */
export function removeRoomChatCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `serv launch` in a copy (README: `npm run rooms` = `serv launch` in examples/room_chat), on `port` (0: any). */
export function launchRoomChat(dir: string, port = 0, args: readonly string[] = [], env: Record<string, string> = {}): Promise<LaunchedExample> {
  return launchExample(port, { cwd: dir, args, env });
}

/** A signed-in (or anonymous) HTTP client of a launched room chat: it keeps the session cookie. */
export class ChatClient {
  cookie = '';

  constructor(readonly baseUrl: string) {}

  /** A request with the session cookie; JSON bodies are sent as JSON. */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: any; bytes: Buffer }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        accept: 'application/json',
        ...(this.cookie === '' ? {} : { cookie: this.cookie }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0] as string;
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, json: type.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
  }

  /** Signs up `name` (password "password-<name>") and keeps its cookie. */
  async signup(name: string): Promise<this> {
    const res = await this.request('POST', '/api/signup', { name, password: `password-${name}` });
    if (res.status !== 201) throw new Error(`signup ${name}: ${res.status} ${JSON.stringify(res.json)}`);
    return this;
  }

  /** Opens `/ws/rooms/<room><query>` with this client's cookie. */
  socket(room: string, query = ''): Promise<TestWebSocket> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/ws/rooms/${room}${query}`;
    return connectTestWebSocket(url, { headers: this.cookie === '' ? {} : { cookie: this.cookie } });
  }
}

/** A frame from a room socket, parsed. */
export type Frame = Record<string, any>;

/** Reads JSON frames until one satisfies `match`; returns it with the frames skipped on the way. */
export async function readUntil(ws: TestWebSocket, match: (frame: Frame) => boolean): Promise<{ frame: Frame; skipped: Frame[] }> {
  const skipped: Frame[] = [];
  for (;;) {
    const frame = (await ws.receiveJson()) as Frame;
    if (match(frame)) return { frame, skipped };
    skipped.push(frame);
  }
}

/** The next frame that is not a presence or typing update. */
export async function nextFrame(ws: TestWebSocket): Promise<Frame> {
  return (await readUntil(ws, (f) => f.type !== 'presence' && f.type !== 'typing')).frame;
}
