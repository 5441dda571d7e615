import { hashPassword, LoginThrottle, verifyPassword, HttpError } from '@serv/core';

describe('hashPassword / verifyPassword', () => {
  it('hashes with scrypt, a fresh salt per hash and the parameters in the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies a hash made with other parameters, read from the hash itself', async () => {
    const hash = await hashPassword('pw');
    const [, , r, p, salt] = hash.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheap = scryptSync('pw', Buffer.from(salt as string, 'base64url'), 32, { N: 1024, r: Number(r), p: Number(p) }).toString('base64url');
    expect(await verifyPassword('pw', `scrypt$1024$${r}$${p}$${salt}$${cheap}`)).toBe(true);
  });

  it('refuses a value that is not such a hash', async () => {
    await expect(verifyPassword('pw', 'plaintext')).rejects.toThrow('verifyPassword(plain, hash): hash is not a hash made by hashPassword() ("scrypt$N$r$p$salt$hash")');
  });
});

describe('LoginThrottle', () => {
  it('locks a key after maxFailures failures with 429 and Retry-After, and forgets it on success', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, windowS: 60 });
    const keys = ['user:ada', 'ip:127.0.0.1'];
    throttle.check(keys);
    throttle.fail(keys);
    throttle.check(keys);
    throttle.fail(['user:ada']);
    const error = (() => {
      try {
        throttle.check(['user:ada', 'ip:10.0.0.1']);
      } catch (err) {
        return err as HttpError;
      }
      return undefined;
    })();
    expect(error?.status).toBe(429);
    expect(Number(error?.headers['retry-after'])).toBeGreaterThan(58);
    throttle.check(['user:bob', 'ip:127.0.0.1']);
    throttle.succeed(['user:ada']);
    throttle.check(['user:ada']);
  });
});
