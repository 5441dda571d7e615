import {
  instanceCachingFactory,
  instancePerContainerCachingFactory,
  Lifecycle,
  type DependencyContainer,
  type InjectionToken,
} from 'tsyringe';
import { InjectionError } from '../errors/serv-error';
import type { Constructor } from '../metadata/store';

/** How long a provided instance lives: one per app, one per resolution, or one per request/connection. */
export type ProviderScope = 'singleton' | 'transient' | 'request';

/** Something an app can provide to handlers: a class (an app singleton), a value, a class or a factory under a token. */
export type Provider<T = unknown> =
  | Constructor<T & object>
  | { provide: InjectionToken<T>; useValue: T }
  | { provide: InjectionToken<T>; useClass: Constructor<T & object>; scope?: ProviderScope }
  | { provide: InjectionToken<T>; useFactory: (container: DependencyContainer) => T; scope?: ProviderScope };

const LIFECYCLE: Record<ProviderScope, Lifecycle> = {
  singleton: Lifecycle.Singleton,
  transient: Lifecycle.Transient,
  request: Lifecycle.ContainerScoped,
};

/** A token's display name for error messages. */
export function tokenName(token: unknown): string {
  if (typeof token === 'function') return token.name || 'anonymous class';
  if (typeof token === 'symbol') return token.toString();
  return JSON.stringify(token);
}

/** Register one provider in `container` and record its scope in `scopes`. */
export function registerProvider(container: DependencyContainer, provider: Provider, scopes: Map<unknown, ProviderScope>): void {
  if (typeof provider === 'function') {
    container.register(provider, { useClass: provider }, { lifecycle: Lifecycle.Singleton });
    scopes.set(provider, 'singleton');
    return;
  }
  if (provider === null || typeof provider !== 'object' || !('provide' in provider)) {
    throw new InjectionError(`A provider must be a class or { provide, useValue | useClass | useFactory }, got ${String(provider)}`);
  }
  const token = provider.provide as InjectionToken<object>;
  if ('useValue' in provider) {
    container.register(token, { useValue: provider.useValue as object });
    scopes.set(token, 'singleton');
  } else if ('useClass' in provider) {
    const scope = provider.scope ?? 'singleton';
    container.register(token, { useClass: provider.useClass }, { lifecycle: LIFECYCLE[scope] });
    scopes.set(token, scope);
  } else if ('useFactory' in provider) {
    const scope = provider.scope ?? 'singleton';
    const factory = provider.useFactory as (c: DependencyContainer) => object;
    const useFactory =
      scope === 'singleton' ? instanceCachingFactory(factory) : scope === 'request' ? instancePerContainerCachingFactory(factory) : factory;
    container.register(token, { useFactory });
    scopes.set(token, scope);
  } else {
    throw new InjectionError(`The provider for ${tokenName(token)} needs useValue, useClass or useFactory`);
  }
}
