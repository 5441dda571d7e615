import { expectString, fail, type At } from '@serv/core';

/**
 * A service URL setting (`settings.broker.url`, `settings.store.url`): a string that parses as a URL with one of
 * `schemes` (e.g. `["redis", "rediss"]`); `example` is quoted when it does not parse.
 */
export function expectServiceUrl(value: unknown, at: At, schemes: readonly string[], example: string): string {
  const url = expectString(value, at);
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    fail(at, `be a URL like "${example}"`, url);
  }
  if (!schemes.some((scheme) => protocol === `${scheme}:`)) fail(at, `be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`, url);
  return url;
}
