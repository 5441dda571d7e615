import type { Constructor, GuardRef, HttpMethod, Middleware } from '../metadata/store';
import type { PathPattern } from './path-pattern';

/** What answers a route: a method of a class (instantiated once per app), or a plain function. */
export type HandlerTarget =
  | { type: 'class'; cls: Constructor; propertyKey: string }
  | { type: 'function'; fn: (...args: never[]) => unknown; name: string };

/** One entry of an app's route table, whichever source (decorator or YAML) declared it. */
export interface RouteRecord {
  /** `'http'` or a protocol's kind, e.g. `'websocket'`. */
  kind: string;
  /** Normalised full path (mount prefix included). */
  path: string;
  pattern: PathPattern;
  /** HTTP methods; empty for protocol routes. */
  methods: HttpMethod[];
  target: HandlerTarget;
  /** Merged router and route settings, injected by `@Settings()`. */
  settings: Record<string, unknown>;
  /** Protocol options such as `frameType` or `maxMessageBytes` (camelCase). */
  options: Record<string, unknown>;
  middleware: Middleware[];
  /** Guards in the order they run: YAML router, YAML route, class, method. */
  guards?: GuardRef[];
  /** Where the route was declared, for conflict errors and `serv routes`. */
  source: string;
}

/** A printable line of the route table, as `serv routes` shows it. */
export interface RouteInfo {
  kind: string;
  methods: string[];
  path: string;
  handler: string;
  source: string;
}

/** The handler's display name: `Class.method` or the function's name. */
export function describeTarget(target: HandlerTarget): string {
  return target.type === 'class' ? `${target.cls.name}.${target.propertyKey}` : target.name;
}
