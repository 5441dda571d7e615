import { STATUS_CODES } from 'node:http';

/** Options of an {@link HttpError}. */
export interface HttpErrorOptions {
  /** Extra response headers, e.g. `Allow` for 405 or `WWW-Authenticate` for 401. */
  headers?: Record<string, string>;
  /** Whether `message` may be shown to the client; defaults to true below 500 and false from 500 up. */
  expose?: boolean;
  /** Wrapped lower failure. */
  cause?: unknown;
}

/** An error that carries its HTTP status; throw it from a handler to answer with that status. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly expose: boolean;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? STATUS_CODES[status] ?? `HTTP ${status}`, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.headers = options.headers ?? {};
    this.expose = options.expose ?? status < 500;
  }
}

/** 400: the request is malformed (bad JSON body, bad query value). */
export class BadRequestError extends HttpError {
  constructor(message = 'Bad Request', options?: HttpErrorOptions) {
    super(400, message, options);
  }
}

/** 401: authentication is required or failed. */
export class UnauthorizedError extends HttpError {
  constructor(message = 'Unauthorized', options?: HttpErrorOptions) {
    super(401, message, options);
  }
}

/** 403: the client is known but not allowed. */
export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden', options?: HttpErrorOptions) {
    super(403, message, options);
  }
}

/** 404: no route matches the path. */
export class NotFoundError extends HttpError {
  constructor(message = 'Not Found', options?: HttpErrorOptions) {
    super(404, message, options);
  }
}

/** 405: the path exists but not for this method; carries the `Allow` header. */
export class MethodNotAllowedError extends HttpError {
  readonly allowed: readonly string[];

  constructor(method: string, path: string, allowed: readonly string[]) {
    super(405, `Method ${method} not allowed for ${path}`, { headers: { allow: allowed.join(', ') } });
    this.allowed = allowed;
  }
}

/** 413: the request body is larger than `max_body_bytes`. */
export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, `Request body exceeds the limit of ${limitBytes} bytes (setting max_body_bytes)`);
  }
}

/** 500: an unexpected failure; its message is hidden from clients outside debug mode. */
export class InternalServerError extends HttpError {
  constructor(message = 'Internal Server Error', options?: HttpErrorOptions) {
    super(500, message, options);
  }
}
