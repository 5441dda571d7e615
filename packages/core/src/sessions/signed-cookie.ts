import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ID = /^[A-Za-z0-9_-]{43}$/;

/** A fresh session id: 256 random bits, base64url (43 characters). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

function mac(id: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(id).digest();
}

/** The cookie value for `id`: the id and its HMAC-SHA256 under `secret`, joined by a dot. */
export function signSessionId(id: string, secret: string): string {
  return `${id}.${mac(id, secret).toString('base64url')}`;
}

/**
 * The session id a cookie value carries when one of `secrets` signed it (rotation: any secret verifies), else
 * undefined; a forged or tampered value is simply not a session, never an error.
 */
export function verifySessionCookie(value: string | undefined, secrets: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  const dot = value.indexOf('.');
  if (dot < 0) return undefined;
  const id = value.slice(0, dot);
  if (!ID.test(id)) return undefined;
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  if (given.length !== 32) return undefined;
  for (const secret of secrets) {
    if (timingSafeEqual(given, mac(id, secret))) return id;
  }
  return undefined;
}
