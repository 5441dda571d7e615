import { injectable } from 'tsyringe';
import { RouteDefinitionError } from '../errors/serv-error';
import { meta, type Constructor, type RouteOptions } from '../metadata/store';
import { compilePath } from '../routing/path-pattern';
import { declaredAt } from '../metadata/declared-at';

/**
 * Marks a class as an HTTP route class; its `@Get()`/`@Post()`… methods answer under `path`.
 * Without a path the class is only routable from YAML (`handler: main:MyRoute` with a `path`).
 *
 * @example
 * ```ts
 * @Route('/users/{id:int}')
 * export class UserRoute {
 *   constructor(private readonly users: UserService) {}
 *   @Get() get(@Param('id') id: number) { return this.users.find(id); }
 * }
 * ```
 */
export function Route(path?: string, options: RouteOptions = {}): ClassDecorator {
  return (target) => {
    const cls = target as unknown as Constructor;
    if (path !== undefined) compilePath(path, `@Route() on ${cls.name}`);
    if (options.middleware !== undefined && !Array.isArray(options.middleware)) {
      throw new RouteDefinitionError(`@Route() on ${cls.name}: options.middleware must be an array of functions`);
    }
    meta.setRoute(cls, { path, options, declaredAt: declaredAt() });
    injectable()(cls);
  };
}
