import { validateHeaderName, validateHeaderValue } from 'node:http';
import { HeaderValueError } from '../errors/response-errors';

/**
 * Throw a {@link HeaderValueError} naming the header when Node would refuse to send it (CR, LF, NUL, characters
 * above U+00FF in a value; anything but a token in a name), so the fault shows where the response is built.
 */
export function checkHeader(name: string, value: string | readonly string[]): void {
  try {
    validateHeaderName(name);
  } catch (err) {
    throw new HeaderValueError(`Response header name ${JSON.stringify(name)} is not a valid HTTP token`, { cause: err });
  }
  for (const item of typeof value === 'string' ? [value] : value) {
    try {
      validateHeaderValue(name, item);
    } catch (err) {
      throw new HeaderValueError(
        `Response header ${name} has a value Node cannot send (${(err as Error).message}): ${JSON.stringify(item)}; ` +
          'percent-encode it or remove control and non-Latin-1 characters',
        { cause: err },
      );
    }
  }
}
