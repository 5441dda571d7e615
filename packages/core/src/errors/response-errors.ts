import { ServError } from './serv-error';

/**
 * A header name or value that Node would refuse to send (CR, LF, NUL, characters above U+00FF, …); raised where the
 * response is built, so the request gets a 500 with this reason logged instead of a dropped connection.
 */
export class HeaderValueError extends ServError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERV_BAD_HEADER', message, options);
  }
}

/** A `setCookie()` name or attribute that breaks RFC 6265 (a `;` in `path`, a bad `domain`, …). */
export class CookieError extends ServError {
  constructor(message: string) {
    super('SERV_BAD_COOKIE', message);
  }
}
