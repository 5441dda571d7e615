/** Stable machine-readable codes for every error Serv raises on its own. */
export type ServErrorCode =
  | 'SERV_ROUTE_DEFINITION'
  | 'SERV_ROUTE_CONFLICT'
  | 'SERV_INJECTION'
  | 'SERV_APP_STATE'
  | 'SERV_EXTENSION_LOAD'
  | 'SERV_PROTOCOL_MISSING'
  | 'SERV_EVENT_LISTENER'
  | 'SERV_NO_RESPONSE'
  | 'SERV_LISTEN'
  | (string & {});

/** The one base class of Serv's own errors: a stable `code`, a message that says what, where and what to change. */
export class ServError extends Error {
  readonly code: ServErrorCode;

  constructor(code: ServErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Raised at startup when a handler's parameters or constructor cannot be resolved. */
export class InjectionError extends ServError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERV_INJECTION', message, options);
  }
}

/** Raised when a decorator or a route registration is malformed or conflicts with another. */
export class RouteDefinitionError extends ServError {
  constructor(message: string, code: ServErrorCode = 'SERV_ROUTE_DEFINITION') {
    super(code, message);
  }
}
