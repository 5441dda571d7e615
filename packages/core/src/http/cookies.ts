import { CookieError } from '../errors/response-errors';
import { emptyRecord } from './own';

/** Options for `Response.setCookie()`. */
export interface CookieOptions {
  maxAgeSeconds?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/** Parse a `Cookie` header into a null-prototype record of name → value (first occurrence wins, values URI-decoded when valid). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = emptyRecord();
  if (header === undefined || header === '') return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 §4.1.1: a path is any US-ASCII character except controls and ";"; it must start with "/" to mean anything.
const PATH_VALUE = /^\/[\x20-\x3a\x3c-\x7e]*$/;
// RFC 6265 §4.1.2.3 with RFC 1034 labels; a leading dot is tolerated (browsers ignore it).
const DOMAIN_VALUE = /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const SAME_SITE = ['Strict', 'Lax', 'None'];

/** Serialise one `Set-Cookie` header value; a name that is not a token or a malformed attribute throws a {@link CookieError}. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new CookieError(`Cookie name ${JSON.stringify(name)} is not a valid token (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  }
  if (typeof value !== 'string') throw new CookieError(`Cookie ${name}: value must be a string, got ${typeof value}`);
  let out = `${name}=${encodeURIComponent(value)}`;
  const { maxAgeSeconds, expires, path = '/', domain, sameSite } = options;
  if (maxAgeSeconds !== undefined) {
    if (typeof maxAgeSeconds !== 'number' || !Number.isFinite(maxAgeSeconds)) {
      throw new CookieError(`Cookie ${name}: maxAgeSeconds must be a finite number of seconds, got ${String(maxAgeSeconds)}`);
    }
    out += `; Max-Age=${Math.floor(maxAgeSeconds)}`;
  }
  if (expires !== undefined) {
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
      throw new CookieError(`Cookie ${name}: expires must be a valid Date, got ${String(expires)}`);
    }
    out += `; Expires=${expires.toUTCString()}`;
  }
  if (typeof path !== 'string' || !PATH_VALUE.test(path)) {
    throw new CookieError(
      `Cookie ${name}: path must start with "/" and hold only printable ASCII without ";", got ${JSON.stringify(path)}`,
    );
  }
  out += `; Path=${path}`;
  if (domain !== undefined) {
    if (typeof domain !== 'string' || !DOMAIN_VALUE.test(domain)) {
      throw new CookieError(`Cookie ${name}: domain must be a host name such as "example.com", got ${JSON.stringify(domain)}`);
    }
    out += `; Domain=${domain}`;
  }
  if (options.secure === true) out += '; Secure';
  if (options.httpOnly !== false) out += '; HttpOnly';
  if (sameSite !== undefined) {
    if (!SAME_SITE.includes(sameSite)) {
      throw new CookieError(`Cookie ${name}: sameSite must be "Strict", "Lax" or "None", got ${JSON.stringify(sameSite)}`);
    }
    out += `; SameSite=${sameSite}`;
  }
  return out;
}
