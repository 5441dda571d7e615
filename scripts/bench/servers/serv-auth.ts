/**
 * The Serv side of the sessions benchmark: `GET /users/{id:int}` as in serv-http.ts, and, with `--sessions`, the same
 * route behind a guard that reads the session (`settings.sessions`, default SQLite store in a temporary folder), a
 * `POST /login` that signs a visitor in, and a WebSocket route whose handler reads the session of its handshake.
 * Run through the CLI's TypeScript loader: `node -r packages/cli/dist/register.js scripts/bench/servers/serv-auth.ts
 * [--sessions]`. Prints `Serv listening on http://HOST:PORT`.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, Get, Inject, Param, Post, Route, Session, UnauthorizedError, UseGuards, type HandlerContext } from '@serv/core';
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

async function main(): Promise<void> {
  const withSessions = process.argv.includes('--sessions');
  const dir = withSessions ? mkdtempSync(join(tmpdir(), 'serv-bench-auth-')) : undefined;
  const app = withSessions
    ? createApp({
      routes: [GuardedUserRoute, LoginRoute, SessionSocket],
      settings: { sessions: { secret: 'bench-secret-0123456789abcdef0123456789abcdef', store: { kind: 'sqlite', path: join(dir as string, 'serv.db') } } },
    })
    : createApp({ routes: [PlainUserRoute] });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  process.on('SIGTERM', () => {
    void app.close().finally(() => {
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
