/**
 * The Serv side of the HTTP benchmark: a route class with a constructor-injected service and an `{id:int}` path
 * parameter, written exactly as a user would against the public API. Run through the CLI's TypeScript loader:
 * `node -r packages/cli/dist/register.js scripts/bench/servers/serv-http.ts`.
 * With `--extra-routes=N`, N more parameterised route classes (`/items0/{id:int}` …) are declared before it, as in an
 * app with many routes. Prints `Serv listening on http://HOST:PORT`.
 */
import 'reflect-metadata';
import { Route, Get, Param, createApp, type Constructor } from '@serv/core';

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

/** `GET /items<i>/{id:int}`: one of the routes of a larger app, declared before UserRoute. */
function itemRoute(i: number): Constructor {
  @Route(`/items${i}/{id:int}`)
  class ItemRoute {
    @Get()
    get(@Param('id') id: number): { id: number; name: string } {
      return { id, name: `item-${i}` };
    }
  }
  return ItemRoute;
}

async function main(): Promise<void> {
  const extraArg = process.argv.find((arg) => arg.startsWith('--extra-routes='));
  const extraRoutes = extraArg === undefined ? 0 : Number(extraArg.slice('--extra-routes='.length));
  if (!Number.isSafeInteger(extraRoutes) || extraRoutes < 0) throw new Error(`${extraArg}: give a whole number of routes, e.g. --extra-routes=100`);
  const app = createApp({ routes: [...Array.from({ length: extraRoutes }, (_, i) => itemRoute(i)), UserRoute] });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  // The bench stops this process with SIGTERM; Node's default action for it is all the shutdown needed here.
  console.log(`Serv listening on http://127.0.0.1:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
