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

/** Parse a `Cookie` header into name → value (first occurrence wins, values URI-decoded when valid). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
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

/** Serialise one `Set-Cookie` header value; throws on a name that is not an RFC 6265 token. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`Cookie name ${JSON.stringify(name)} is not a valid token`);
  let out = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAgeSeconds !== undefined) out += `; Max-Age=${Math.floor(options.maxAgeSeconds)}`;
  if (options.expires !== undefined) out += `; Expires=${options.expires.toUTCString()}`;
  out += `; Path=${options.path ?? '/'}`;
  if (options.domain !== undefined) out += `; Domain=${options.domain}`;
  if (options.secure === true) out += '; Secure';
  if (options.httpOnly !== false) out += '; HttpOnly';
  if (options.sameSite !== undefined) out += `; SameSite=${options.sameSite}`;
  return out;
}
