import { defaultErrorResponse } from '../http/error-response';
import type { RequestContext } from '../http/request-context';
import { toResponse, type Response } from '../http/responses';
import type { Logger } from '../logging/logger';

/** Handles errors of one type: returns a Response or a plain value, or throws to fall through to the default. */
export type ErrorHandler<E extends Error = Error> = (error: E, ctx: RequestContext) => unknown;

/** An app's error handlers by error class, and how a failed request is answered. */
export class ErrorHandlers {
  private readonly byType = new Map<unknown, ErrorHandler>();

  constructor(
    private readonly logger: Logger,
    private readonly settings: { readonly debug: boolean },
  ) {}

  /** Answer errors of `type` (and its subclasses) with `handler`; registering a type again replaces its handler. */
  set(type: unknown, handler: ErrorHandler): void {
    this.byType.set(type, handler);
  }

  /** The response for `err`: the nearest registered handler's answer, else the default negotiated error page. */
  async respond(err: unknown, ctx: RequestContext): Promise<Response> {
    const handler = this.lookup(err);
    if (handler !== undefined) {
      try {
        return toResponse(await handler(err as Error, ctx));
      } catch (inner) {
        err = inner;
      }
    }
    // `throw null` and `throw 'text'` are legal JavaScript; reading `.status` off null used to reject here, unhandled.
    const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
    if (typeof status !== 'number' || status >= 500) this.logger.error(`${ctx.method} ${ctx.path} failed`, err);
    return defaultErrorResponse(err, ctx.header('accept'), this.settings.debug);
  }

  /** The handler of the nearest class in the error's prototype chain (like Starlette's lookup along the MRO). */
  private lookup(err: unknown): ErrorHandler | undefined {
    if (this.byType.size === 0 || typeof err !== 'object' || err === null) return undefined;
    for (let proto: unknown = Object.getPrototypeOf(err); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      const handler = this.byType.get((proto as { constructor: unknown }).constructor);
      if (handler !== undefined) return handler;
    }
    return undefined;
  }
}
