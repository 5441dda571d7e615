import { RouteDefinitionError } from '../errors/serv-error';
import { meta, type Constructor } from '../metadata/store';
import { guardProblem, type Guard } from './guard';

/**
 * Protect a route class (every method) or one handler method with guards, run in order before the handler: a guard
 * that returns `false` answers 403, a thrown `HttpError` its own status. On a `@WebSocketRoute` class the refusal is
 * the handshake's HTTP answer and `handle()` never runs. Class guards run before method guards.
 *
 * @example
 * ```ts
 * const requireUser = (ctx: HandlerContext) => {
 *   if (!ctx.session.user) throw new UnauthorizedError();
 *   return true;
 * };
 *
 * @Route('/account')
 * @UseGuards(requireUser)
 * export class AccountRoute {
 *   @Get() show(@Inject() session: Session) { return session.user; }
 *   @Delete() @UseGuards(AdminGuard) remove() { … }
 * }
 * ```
 */
export function UseGuards(...guards: Guard[]): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const cls = (propertyKey === undefined ? target : (target as { constructor: unknown }).constructor) as Constructor;
    const where = `@UseGuards() on ${cls.name}${propertyKey === undefined ? '' : `.${String(propertyKey)}`}`;
    if (guards.length === 0) throw new RouteDefinitionError(`${where}: name at least one guard`);
    guards.forEach((guard, i) => {
      const problem = guardProblem(guard);
      if (problem !== null) throw new RouteDefinitionError(`${where}: guard #${i} must be ${problem}`);
    });
    meta.addGuards(cls, propertyKey === undefined ? undefined : String(propertyKey), guards);
  };
}
