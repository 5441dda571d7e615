'use strict';
/**
 * Signs the simulated users up through `POST /api/signup` (which also signs them in) before the timed window, a
 * bounded number at a time: each sign-up is an scrypt hash on the server (~50 ms of CPU), so the pool size, not
 * the user count, decides how hard the server is pushed. Returns each user's session cookie.
 */

const MAX_ATTEMPTS = 5;
const MAX_RETRY_AFTER_S = 30;

/** `name=value` pairs of every Set-Cookie header, joined for a Cookie header. */
function cookieHeader(headers) {
  const lines = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie') ?? ''];
  return lines.map((line) => line.split(';', 1)[0].trim()).filter(Boolean).join('; ');
}

async function signUpOne(baseUrl, name, password) {
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(`${baseUrl}/api/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    const body = await res.text();
    if (res.status === 201) {
      const cookie = cookieHeader(res.headers);
      if (cookie === '') throw new Error(`POST ${baseUrl}/api/signup for "${name}" answered 201 without a session cookie`);
      return cookie;
    }
    // A sign-up throttle is the server doing its job: wait as told (bounded), then try again.
    if (res.status === 429 && attempt < MAX_ATTEMPTS) {
      const seconds = Math.min(MAX_RETRY_AFTER_S, Number(res.headers.get('retry-after')) || 1);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    throw new Error(`POST ${baseUrl}/api/signup for "${name}" answered ${res.status}: ${body.slice(0, 300)}`);
  }
}

/**
 * Signs up `users` (`[{ name }]`) with `concurrency` requests in flight; sets `user.cookie` on each. Calls
 * `progress(done)` now and then. Rejects with the first failure (the others in flight finish first).
 */
async function signUpAll(baseUrl, users, { password, concurrency, progress }) {
  let next = 0;
  let done = 0;
  let failure = null;
  async function worker() {
    while (failure === null && next < users.length) {
      const user = users[next];
      next += 1;
      try {
        user.cookie = await signUpOne(baseUrl, user.name, password);
      } catch (error) {
        failure ??= error;
        return;
      }
      done += 1;
      if (done % 100 === 0 || done === users.length) progress(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  if (failure !== null) throw failure;
}

module.exports = { signUpAll };
