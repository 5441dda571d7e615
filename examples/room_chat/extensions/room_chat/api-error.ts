import { HttpError, JsonResponse, type HttpMiddleware } from '@serv/core';

/** An error the API answers as `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends HttpError {
  constructor(status: number, readonly code: string, message: string, headers?: Record<string, string>) {
    super(status, message, { headers });
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
};

/**
 * Route middleware: every HTTP error of an API route (a guard's 401, a bad JSON body, the login throttle's 429, an
 * ApiError) becomes `{ error: { code, message } }`, so the page reads one shape.
 */
export const apiErrors: HttpMiddleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof HttpError) || err.status >= 500) throw err;
    const code = err instanceof ApiError ? err.code : (CODES[err.status] ?? 'error');
    ctx.response = new JsonResponse({ error: { code, message: err.message } }, { status: err.status, headers: err.headers });
  }
};
