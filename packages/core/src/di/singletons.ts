import type { DependencyContainer } from 'tsyringe';
import { InjectionError } from '../errors/serv-error';
import { meta, type Constructor } from '../metadata/store';
import { registerProvider, tokenName, type ProviderScope } from './providers';

/** tsyringe's own metadata key for `@inject(token)` on constructor parameters. */
const TSYRINGE_INJECTION_TOKENS = 'injectionTokens';

const NOT_INJECTABLE = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Promise, Symbol, BigInt, undefined]);

/** Whether a token can never be resolved by type (interfaces and primitives compile to these). */
export function isOpaqueType(token: unknown): boolean {
  return NOT_INJECTABLE.has(token);
}

/**
 * Make `cls` and every unregistered class it depends on app singletons, so that two routes injecting the same
 * service share one instance per app (the NestJS default) while two apps never share one.
 */
export function ensureSingleton(
  container: DependencyContainer,
  scopes: Map<unknown, ProviderScope>,
  cls: Constructor,
  trail: readonly string[] = [],
): void {
  if (scopes.has(cls) || container.isRegistered(cls, true)) return;
  const path = [...trail, cls.name];
  if (trail.includes(cls.name)) {
    throw new InjectionError(`Circular dependency: ${path.join(' → ')}; break the cycle with an interface token and a factory`);
  }
  const types = meta.getParamTypes(cls);
  if (types === undefined && cls.length > 0) {
    throw new InjectionError(
      `${cls.name}'s constructor takes ${cls.length} parameter(s) but TypeScript emitted no type metadata for it: ` +
        `decorate the class (@Route(), @WebSocketRoute() or @Injectable()) and compile with "emitDecoratorMetadata": true (serv launch does this for you)`,
    );
  }
  const tokens = (Reflect.getOwnMetadata(TSYRINGE_INJECTION_TOKENS, cls) as Record<number, unknown> | undefined) ?? {};
  (types ?? []).forEach((type, index) => {
    const explicit = explicitToken(tokens[index]);
    const token = explicit ?? type;
    const optional = (tokens[index] as { isOptional?: boolean } | undefined)?.isOptional === true;
    if (scopes.get(token) === 'request') {
      // tsyringe would build it once in the app container and hand that one instance to every request.
      throw new InjectionError(
        `Cannot inject parameter #${index} of ${cls.name}'s constructor: ${tokenName(token)} is request-scoped but ${cls.name} lives as long as the app; ` +
          'inject it into the handler method instead (@Inject() on a method parameter)',
      );
    }
    if ((typeof token === 'string' || typeof token === 'symbol') && !optional && !container.isRegistered(token, true) && !scopes.has(token)) {
      // Caught here rather than by tsyringe at construction, whose message does not say how to provide the token.
      throw new InjectionError(
        `Cannot inject parameter #${index} of ${cls.name}'s constructor: nothing provides ${tokenName(token)}; ` +
          `add it to createApp({ providers: [{ provide: ${tokenName(token)}, useValue: … }] })`,
      );
    }
    if (explicit === undefined && type === undefined) {
      throw new InjectionError(
        `Cannot inject parameter #${index} of ${cls.name}'s constructor: its type was still undefined when ${cls.name} was decorated, ` +
          `which happens when two modules import each other; break the import cycle, or pass a lazy token: @Inject(delay(() => TheClass)) with delay from tsyringe`,
      );
    }
    if (explicit === undefined && isOpaqueType(type)) {
      throw new InjectionError(
        `Cannot inject parameter #${index} of ${cls.name}'s constructor: its type is ${tokenName(type)} ` +
          `(an interface, a primitive or a type-only import compiles to that); inject a class, or pass a token with @Inject(TOKEN)`,
      );
    }
    if (typeof token === 'function' && !container.isRegistered(token as Constructor, true) && !scopes.has(token)) {
      ensureSingleton(container, scopes, token as Constructor, path);
    }
  });
  registerProvider(container, cls, scopes);
}

/** The token of a tsyringe `@inject()` entry: tsyringe 4.10 stores `{ token, multiple, isOptional }`, older ones the bare token. */
function explicitToken(entry: unknown): unknown {
  if (entry !== null && typeof entry === 'object' && 'token' in entry) return (entry as { token: unknown }).token;
  return entry;
}
