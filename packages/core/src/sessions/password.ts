import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB per hash; 2^15 keeps a login near 50 ms on a small server
// while staying far above what a GPU rig enjoys. The parameters travel in the hash, so raising them later is safe.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(plain: string, salt: Buffer, n: number, r: number, p: number, bytes: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(plain.normalize('NFKC'), salt, bytes, options, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

/**
 * Hash a password for storage: scrypt (node:crypto) with a fresh random salt, written as
 * `scrypt$N$r$p$salt$hash` (base64url) so that the parameters travel with the hash.
 *
 * @example
 * ```ts
 * const hash = await hashPassword('correct horse battery staple');
 * await verifyPassword('correct horse battery staple', hash); // true
 * ```
 */
export async function hashPassword(plain: string): Promise<string> {
  if (typeof plain !== 'string') throw new TypeError(`hashPassword(plain) needs a string, got ${typeof plain}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, N, R, P, KEY_BYTES);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `plain` is the password `hash` (from {@link hashPassword}) was made of; compares in constant time. */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (typeof plain !== 'string') throw new TypeError(`verifyPassword(plain, hash) needs a string password, got ${typeof plain}`);
  const parts = typeof hash === 'string' ? hash.split('$') : [];
  const [scheme, n, r, p, salt, key] = parts;
  const numbers = [n, r, p].map(Number);
  if (parts.length !== 6 || scheme !== 'scrypt' || !numbers.every((x) => Number.isSafeInteger(x) && x > 0) || !salt || !key) {
    throw new TypeError('verifyPassword(plain, hash): hash is not a hash made by hashPassword() ("scrypt$N$r$p$salt$hash")');
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(plain, Buffer.from(salt, 'base64url'), numbers[0] as number, numbers[1] as number, numbers[2] as number, expected.length);
  return timingSafeEqual(actual, expected);
}
