import type { TestResponse } from '@serv/core';

/** A 32-byte-plus secret for tests. */
export const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** The `name=value` of the session cookie a response set, or undefined. */
export function sessionCookie(res: TestResponse, name = 'serv_session'): string | undefined {
  const header = res.headers['set-cookie'] ?? [];
  const line = header.find((c) => c.startsWith(`${name}=`));
  return line?.split(';', 1)[0];
}

/** The full Set-Cookie line of the session cookie. */
export function sessionCookieLine(res: TestResponse, name = 'serv_session'): string | undefined {
  return (res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
}

/** The session id inside a `serv_session=<id>.<mac>` cookie pair. */
export function idOf(cookie: string): string {
  return decodeURIComponent(cookie.split('=', 2)[1] as string).split('.', 1)[0] as string;
}
