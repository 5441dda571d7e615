import { inject, type InjectionToken } from 'tsyringe';
import { RouteDefinitionError } from '../errors/serv-error';
import { meta, type Constructor, type ParamSpec } from '../metadata/store';

type ParamTarget = object;

function where(decorator: string, target: ParamTarget, propertyKey: string | symbol | undefined, index: number): string {
  const cls = (typeof target === 'function' ? target : target.constructor) as Constructor;
  const member = propertyKey === undefined ? 'constructor' : String(propertyKey);
  return `${decorator} on parameter #${index} of ${cls.name}.${member}`;
}

function methodParam(decorator: string, spec: ParamSpec): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined || typeof target === 'function') {
      throw new RouteDefinitionError(
        `${where(decorator, target, propertyKey, index)}: request values can only be injected into handler methods, not constructors or static methods`,
      );
    }
    meta.setParam(target.constructor as Constructor, String(propertyKey), index, spec);
  };
}

function requireName(decorator: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new RouteDefinitionError(`${decorator} needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * Injects a dependency from the app's container (the parameter's type when no token is given);
 * per request or connection this includes the `RequestContext` or the `WebSocket`.
 *
 * @example `async handle(@Inject() ws: WebSocket, @Inject(CONFIG) config: Config) {…}`
 */
export function Inject(token?: InjectionToken<unknown>): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      // Constructor parameters are tsyringe's: pass an explicit token through, otherwise the type is used.
      if (token !== undefined) inject(token as InjectionToken<object>)(target, undefined, index);
      return;
    }
    meta.setParam(target.constructor as Constructor, String(propertyKey), index, { kind: 'inject', token });
  };
}

/** Injects a path parameter, e.g. `{room_id}`; `{id:int}` arrives as a number. @example `@Param('room_id') roomId: string` */
export const Param = (name: string): ParameterDecorator => methodParam('@Param()', { kind: 'param', name: requireName('@Param()', name) });

/** Injects one query-string value (or all of them as an object without a name). @example `@Query('page') page?: string` */
export const Query = (name?: string): ParameterDecorator =>
  methodParam('@Query()', { kind: 'query', name: name === undefined ? undefined : requireName('@Query()', name) });

/** Injects a request header by case-insensitive name. @example `@Header('authorization') auth?: string` */
export const Header = (name: string): ParameterDecorator =>
  methodParam('@Header()', { kind: 'header', name: requireName('@Header()', name).toLowerCase() });

/** Injects a cookie value. @example `@Cookie('session') session?: string` */
export const Cookie = (name: string): ParameterDecorator => methodParam('@Cookie()', { kind: 'cookie', name: requireName('@Cookie()', name) });

/** Injects the parsed request body (JSON, urlencoded form, text or bytes), size-limited by `max_body_bytes`. @example `@Body() input: NewUser` */
export const Body = (): ParameterDecorator => methodParam('@Body()', { kind: 'body' });

/** Injects the route's settings: router `config` merged with route `config` from YAML. @example `@Settings() settings: Record<string, unknown>` */
export const Settings = (): ParameterDecorator => methodParam('@Settings()', { kind: 'settings' });
