import 'reflect-metadata';
import type { InjectionToken } from 'tsyringe';
import { METADATA } from './keys';

/** The HTTP methods a route class may handle. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Every HTTP method Serv routes, in the order `Allow` headers list them. */
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A class constructor, as decorators see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = object> = new (...args: any[]) => T;

/** What `@Route(path, options)` stored on a class. */
export interface RouteClassMeta {
  path?: string;
  options: RouteOptions;
  /** `file:line` of the declaration, when it could be read from the stack. */
  declaredAt?: string;
}

/** Options of `@Route()`. */
export interface RouteOptions {
  /** Middleware run for this route only, inside the app's middleware. */
  middleware?: Middleware[];
  /** Settings merged into what `@Settings()` injects. */
  settings?: Record<string, unknown>;
}

/** What `@Get()` and friends stored for one method. */
export interface MethodHandlerMeta {
  method: HttpMethod;
  subPath: string;
  propertyKey: string;
}

/** Where a handler parameter's value comes from. */
export type ParamSpec =
  | { kind: 'inject'; token?: InjectionToken<unknown> }
  | { kind: 'param'; name: string }
  | { kind: 'query'; name?: string }
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string }
  | { kind: 'body' }
  | { kind: 'settings' };

/** What `@On(event)` stored for one listener method. */
export interface ListenerMeta {
  event: string;
  propertyKey: string;
}

/** What a protocol decorator such as `@WebSocketRoute()` stored on a class. */
export interface ProtocolRouteMeta {
  kind: string;
  path: string;
  options: Record<string, unknown>;
  /** `file:line` of the declaration, when it could be read from the stack. */
  declaredAt?: string;
}

/** The context a middleware sees; defined by the HTTP layer. */
// Declared structurally here so that metadata does not import the HTTP layer.
export type Middleware = (ctx: never, next: () => Promise<void>) => Promise<void> | void;

/** A guard as routes record it: a function of the handler context or a class with `canActivate(ctx)`. */
// Declared structurally here so that metadata does not import the HTTP layer (see src/guards/guard.ts).
export type GuardRef = ((ctx: never) => unknown) | Constructor;

const own = <T>(key: string, target: object, property?: string): T | undefined =>
  property === undefined
    ? (Reflect.getOwnMetadata(key, target) as T | undefined)
    : (Reflect.getOwnMetadata(key, target, property) as T | undefined);

/** Typed readers and writers over `Reflect` metadata. */
export const meta = {
  setRoute(target: Constructor, value: RouteClassMeta): void {
    Reflect.defineMetadata(METADATA.route, value, target);
  },
  getRoute(target: Constructor): RouteClassMeta | undefined {
    return own<RouteClassMeta>(METADATA.route, target);
  },
  addHttpMethod(target: Constructor, value: MethodHandlerMeta): void {
    const list = own<MethodHandlerMeta[]>(METADATA.httpMethods, target) ?? [];
    Reflect.defineMetadata(METADATA.httpMethods, [...list, value], target);
  },
  getHttpMethods(target: Constructor): MethodHandlerMeta[] {
    const chain: MethodHandlerMeta[] = [];
    for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      chain.unshift(...(own<MethodHandlerMeta[]>(METADATA.httpMethods, c as object) ?? []));
    }
    return chain;
  },
  setParam(target: Constructor, property: string, index: number, spec: ParamSpec): void {
    const list = [...(own<Array<ParamSpec | undefined>>(METADATA.params, target, property) ?? [])];
    list[index] = spec;
    Reflect.defineMetadata(METADATA.params, list, target, property);
  },
  getParams(target: Constructor, property: string): Array<ParamSpec | undefined> {
    return (Reflect.getMetadata(METADATA.params, target, property) as Array<ParamSpec | undefined> | undefined) ?? [];
  },
  /** The parameter types TypeScript emitted, or undefined when metadata was not emitted. */
  getParamTypes(target: Constructor, property?: string): unknown[] | undefined {
    return property === undefined
      ? (Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined)
      : (Reflect.getMetadata('design:paramtypes', target.prototype, property) as unknown[] | undefined);
  },
  addListener(target: Constructor, value: ListenerMeta): void {
    const list = own<ListenerMeta[]>(METADATA.listeners, target) ?? [];
    Reflect.defineMetadata(METADATA.listeners, [...list, value], target);
  },
  getListeners(target: Constructor): ListenerMeta[] {
    return (Reflect.getMetadata(METADATA.listeners, target) as ListenerMeta[] | undefined) ?? [];
  },
  setProtocolRoute(target: Constructor, value: ProtocolRouteMeta): void {
    Reflect.defineMetadata(METADATA.protocolRoute, value, target);
  },
  getProtocolRoute(target: Constructor): ProtocolRouteMeta | undefined {
    return own<ProtocolRouteMeta>(METADATA.protocolRoute, target);
  },
  /** Guards of a class (no `property`) or of one of its methods, in declaration order. */
  addGuards(target: Constructor, property: string | undefined, guards: readonly GuardRef[]): void {
    const list = own<GuardRef[]>(METADATA.guards, target, property) ?? [];
    if (property === undefined) Reflect.defineMetadata(METADATA.guards, [...guards, ...list], target);
    else Reflect.defineMetadata(METADATA.guards, [...guards, ...list], target, property);
  },
  getGuards(target: Constructor, property?: string): GuardRef[] {
    return own<GuardRef[]>(METADATA.guards, target, property) ?? [];
  },
};
