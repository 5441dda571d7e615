import type { TestResponse } from '@serv/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * A fresh temporary folder for each test of the calling `describe`, removed after it. Call it before the block's own
 * hooks; read `.dir` inside tests and hooks.
 */
export function useTempDir(prefix: string): { readonly dir: string } {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
  };
}
