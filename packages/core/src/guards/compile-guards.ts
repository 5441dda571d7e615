import { instanceOf, type CompileEnv } from '../di/handler-compiler';
import { ForbiddenError } from '../errors/http-errors';
import { RouteDefinitionError } from '../errors/serv-error';
import type { BaseContext } from '../http/base-context';
import type { GuardRef } from '../metadata/store';
import { guardProblem, isGuardClass, type GuardFunction } from './guard';

/**
 * A route's guards as one check: returns (or resolves) when every guard said `true`, throws (or rejects) with the
 * refusal otherwise; synchronous guards are run without a promise.
 */
export type GuardCheck = (ctx: BaseContext) => void | Promise<void>;

/**
 * Resolve a route's guards once at startup (classes through DI, as app singletons) into one check that runs them in
 * order; `where` names the route in errors.
 */
export function compileGuards(guards: readonly GuardRef[], env: Pick<CompileEnv, 'container' | 'scopes'>, where: string): GuardCheck | undefined {
  if (guards.length === 0) return undefined;
  const checks: GuardFunction[] = guards.map((guard, i) => {
    const problem = guardProblem(guard);
    if (problem !== null) throw new RouteDefinitionError(`${where}: guard #${i} must be ${problem}`);
    if (!isGuardClass(guard)) return guard as GuardFunction;
    const instance = instanceOf(env, guard, `guard ${guard.name} of ${where}`) as { canActivate: GuardFunction };
    return (ctx) => instance.canActivate(ctx);
  });
  const from = async (ctx: BaseContext, index: number, pending: Promise<boolean>): Promise<void> => {
    if ((await pending) !== true) throw new ForbiddenError();
    for (let i = index + 1; i < checks.length; i++) {
      if ((await (checks[i] as GuardFunction)(ctx)) !== true) throw new ForbiddenError();
    }
  };
  return (ctx) => {
    for (let i = 0; i < checks.length; i++) {
      const answer = (checks[i] as GuardFunction)(ctx);
      if (answer instanceof Promise) return from(ctx, i, answer);
      if (answer !== true) throw new ForbiddenError();
    }
    return undefined;
  };
}
