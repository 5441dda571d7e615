/**
 * The Serv side of the sessions benchmark: `GET /users/{id:int}` as in serv-http.ts, and, with `--sessions`, the same
 * route behind a guard that reads the session (`settings.sessions`), a `POST /login` that signs a visitor in, and a
 * WebSocket route whose handler reads the session of its handshake. `--store sqlite` (the default: SQLite in a
 * temporary folder), `--store memory` or `--store redis` (127.0.0.1:6379, or `--redis-url`, under a key prefix of its
 * own that is deleted at exit). Run through the CLI's TypeScript loader: `node -r packages/cli/dist/register.js
 * scripts/bench/servers/serv-auth.ts [--sessions [--store KIND]]`. Prints `Serv listening on http://HOST:PORT`.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createApp, Get, Inject, Param, Post, Route, Session, UnauthorizedError, UseGuards, type HandlerContext, type SessionStoreSettings,
} from '@serv/core';
import { WebSocket, WebSocketRoute } from '@serv/websocket';

/** The guard under test: a signed-in visitor or 401. */
const requireUser = (ctx: HandlerContext): boolean => {
  if (ctx.session.user === undefined) throw new UnauthorizedError();
  return true;
};

/** `GET /users/{id:int}` with neither session nor guard: the baseline. */
@Route('/users/{id:int}')
export class PlainUserRoute {
  @Get() get(@Param('id') id: number): { id: number; name: string } {
    return { id, name: `user-${id}` };
  }
}

/** The same route, guarded, answering with what the session holds. */
@Route('/users/{id:int}')
@UseGuards(requireUser)
export class GuardedUserRoute {
  @Get() get(@Param('id') id: number, @Inject() session: Session): { id: number; name: string } {
    return { id, name: String(session.user?.name ?? '') };
  }
}

/** Signs the visitor in as `user-42`. */
@Route('/login')
export class LoginRoute {
  @Post() async login(@Inject() session: Session): Promise<string> {
    await session.regenerate();
    session.user = { name: 'user-42' };
    return 'ok';
  }
}

/** A WebSocket route that reads the session of its handshake, then waits for the client to close. */
@WebSocketRoute('/ws')
export class SessionSocket {
  async handle(@Inject() ws: WebSocket, @Inject() session: Session): Promise<void> {
    if (session.id !== undefined && session.user === undefined) throw new UnauthorizedError();
    await ws.accept();
    for await (const message of ws) await ws.send(String(message));
  }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at < 0 || at + 1 >= process.argv.length ? fallback : (process.argv[at + 1] as string);
}

function storeSettings(kind: string, dir: string | undefined): SessionStoreSettings {
  if (kind === 'memory') return { kind: 'memory' };
  if (kind === 'redis') return { kind: 'redis', url: option('--redis-url', 'redis://127.0.0.1:6379'), keyPrefix: `serv-bench-auth-${process.pid}-${Date.now()}:` };
  if (kind === 'sqlite') return { kind: 'sqlite', path: join(dir as string, 'serv.db') };
  throw new Error(`--store takes memory, sqlite or redis, got "${kind}"`);
}

/** Deletes the keys a Redis run left behind (its own prefix only). */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  await client.quit();
}

async function main(): Promise<void> {
  const withSessions = process.argv.includes('--sessions');
  const kind = option('--store', 'sqlite');
  const dir = withSessions && kind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'serv-bench-auth-')) : undefined;
  const store = withSessions ? storeSettings(kind, dir) : undefined;
  const app = withSessions
    ? createApp({
      routes: [GuardedUserRoute, LoginRoute, SessionSocket],
      settings: { sessions: { secret: 'bench-secret-0123456789abcdef0123456789abcdef', store } },
    })
    : createApp({ routes: [PlainUserRoute] });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => {
    void app.close()
      .then(() => (store !== undefined && store.kind === 'redis' ? dropRedisKeys(store.url, store.keyPrefix) : undefined))
      .finally(() => {
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
  console.log(`Serv listening on http://127.0.0.1:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
