import type { RequestContext } from '../http/request-context';

/** HTTP middleware: code before `await next()` runs on the way in, code after on the way out (Koa order). */
export type HttpMiddleware = (ctx: RequestContext, next: () => Promise<void>) => Promise<void> | void;

/** Compose middleware around `final` once, at startup, into one function per route. */
export function compose(middleware: readonly HttpMiddleware[], final: (ctx: RequestContext) => Promise<void>): (ctx: RequestContext) => Promise<void> {
  if (middleware.length === 0) return final;
  return (ctx) => {
    let index = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() called more than once in one middleware');
      index = i;
      if (i === middleware.length) return final(ctx);
      await middleware[i](ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}
