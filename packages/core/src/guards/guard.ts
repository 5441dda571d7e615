import type { BaseContext } from '../http/base-context';
import type { Constructor } from '../metadata/store';

/** A guard written as a function: `true` lets the request or handshake through; anything else answers 403. */
export type GuardFunction = (ctx: BaseContext) => boolean | Promise<boolean>;

/** A guard written as a class, constructed once per app through DI (so it can inject services). */
export interface CanActivate {
  /** `true` lets the request or handshake through; `false` answers 403; a thrown `HttpError` answers its status. */
  canActivate(ctx: BaseContext): boolean | Promise<boolean>;
}

/** What `@UseGuards()` and YAML `guards:` accept: a guard function or a class implementing {@link CanActivate}. */
export type Guard = GuardFunction | Constructor<CanActivate>;

/** Whether `guard` is a class with `canActivate` (constructed through DI) rather than a plain function. */
export function isGuardClass(guard: unknown): guard is Constructor<CanActivate> {
  if (typeof guard !== 'function') return false;
  const proto = (guard as { prototype?: { canActivate?: unknown } }).prototype;
  return proto !== undefined && typeof proto.canActivate === 'function';
}

/** What is wrong with `guard` as a guard (to follow "must be"), or null when it is one. */
export function guardProblem(guard: unknown): string | null {
  if (typeof guard !== 'function') return `a function (ctx) => boolean or a class with canActivate(ctx), got ${guard === null ? 'null' : typeof guard}`;
  if (isGuardClass(guard)) return null;
  if (/^class[\s{]/.test(Function.prototype.toString.call(guard))) {
    return `a class with a canActivate(ctx) method; ${(guard as { name: string }).name || 'this class'} has none`;
  }
  return null;
}
