/**
 * The Serv side of the HTTP benchmark: a route class with a constructor-injected service and an `{id:int}` path
 * parameter, written exactly as a user would against the public API. Run through the CLI's TypeScript loader:
 * `node -r packages/cli/dist/register.js scripts/bench/servers/serv-http.ts`.
 * Prints `Serv listening on http://HOST:PORT`.
 */
import 'reflect-metadata';
import { Route, Get, Param, createApp } from '@serv/core';

/** The injected service: what a real app would back with a store. */
export class UserService {
  /** Looks a user up by id. */
  find(id: number): { id: number; name: string } {
    return { id, name: `user-${id}` };
  }
}

/** `GET /users/{id:int}` answering the user as JSON. */
@Route('/users/{id:int}')
export class UserRoute {
  constructor(private readonly users: UserService) {}

  /** Returns the user; a plain object becomes a JSON response. */
  @Get()
  get(@Param('id') id: number): { id: number; name: string } {
    return this.users.find(id);
  }
}

async function main(): Promise<void> {
  const app = createApp({ routes: [UserRoute] });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  // The bench stops this process with SIGTERM; Node's default action for it is all the shutdown needed here.
  console.log(`Serv listening on http://127.0.0.1:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
