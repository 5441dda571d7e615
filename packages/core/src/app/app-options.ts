import type { ServSettings } from '../config/serv-settings';
import type { Provider } from '../di/providers';
import type { Logger } from '../logging/logger';
import type { Constructor } from '../metadata/store';
import type { HttpMiddleware } from './middleware';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Settings over the defaults (camelCase; `serv.config.yaml` uses snake_case). */
  settings?: Partial<ServSettings>;
  /** Decorated route classes (`@Route`, `@WebSocketRoute`) to register. */
  routes?: Constructor[];
  /** Services, values and factories for injection. */
  providers?: Provider[];
  /** App-wide HTTP middleware, outermost first. */
  middleware?: HttpMiddleware[];
  /** Listener classes with `@On(event)` methods. */
  listeners?: Constructor[];
  /** The logger to use (default: level from `debug`). */
  logger?: Logger;
  /** `site_info` from serv.config.yaml. */
  siteInfo?: { name?: string; description?: string };
}

/** Where `app.listen()` bound. */
export interface ListenAddress {
  host: string;
  port: number;
  /** `http://host:port` (or `https://`). */
  url: string;
}
