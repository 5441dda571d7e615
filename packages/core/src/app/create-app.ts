import { App } from './app';
import type { AppOptions } from './app-options';

/**
 * Create an app with its own container, settings and route table.
 *
 * @example
 * ```ts
 * const app = createApp({ routes: [UserRoute, EchoHandler], providers: [UserService] });
 * const { url } = await app.listen({ port: 0 });
 * ```
 */
export function createApp(options: AppOptions = {}): App {
  return new App(options);
}
