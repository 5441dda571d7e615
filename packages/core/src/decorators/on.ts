import { RouteDefinitionError } from '../errors/serv-error';
import { meta, type Constructor } from '../metadata/store';

/**
 * Subscribes a listener-class method to an app event; the class gets constructor injection.
 *
 * @example
 * ```ts
 * export class Greeter {
 *   constructor(private readonly log: Logger) {}
 *   @On('app.startup') started() { this.log.info('ready'); }
 * }
 * ```
 */
export function On(event: string): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const cls = target.constructor as Constructor;
    const where = `@On(${JSON.stringify(event)}) on ${cls.name}.${String(propertyKey)}`;
    if (typeof event !== 'string' || event.length === 0) throw new RouteDefinitionError(`${where}: the event name must be a non-empty string`);
    if (typeof propertyKey !== 'string' || typeof descriptor.value !== 'function') {
      throw new RouteDefinitionError(`${where}: it must decorate a string-named method`);
    }
    meta.addListener(cls, { event, propertyKey });
  };
}
