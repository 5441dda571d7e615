'use strict';
/**
 * Command-line options of `scripts/room-chat-load.js`, with their defaults and the bounds that keep a run from
 * turning into an unbounded load generator on a shared machine.
 */

const LIMITS = Object.freeze({
  users: { min: 2, max: 5000 },
  rooms: { min: 1, max: 1000 },
  duration: { min: 1, max: 600 },
  rate: { min: 0.01, max: 20 },
  totalRate: 20000,
  signupConcurrency: { min: 1, max: 32 },
});

const HELP = `Usage: node scripts/room-chat-load.js [options]     (npm run load:rooms -- [options])

Drives examples/room_chat with simulated users: signs them up, opens one WebSocket per user to its room
(/ws/rooms/{room}), sends messages at a fixed rate for the timed window, then counts every message per receiver.

  --launch               start the example from a temp copy (dev shape: SQLite + memory broker) on a free port,
                         and stop it at the end (the default when --url is not given)
  --url URL              target an example that is already running, e.g. http://127.0.0.1:8000
  --users N              simulated users (default 1000; ${LIMITS.users.min}-${LIMITS.users.max})
  --rooms N              rooms; user i joins room i mod N (default 50; at most --users)
  --duration SEC         timed window in seconds (default 60; at most ${LIMITS.duration.max})
  --rate N               messages per second per user (default 1; at most ${LIMITS.rate.max}, and at most
                         ${LIMITS.totalRate} for all users together)
  --signup-concurrency N sign-ups in flight at once (default 4; scrypt costs the server ~50 ms of CPU each)
  --drain SEC            after the window, wait for the last deliveries until none came for SEC seconds
                         (default 15; at most 5 × --duration, 60-600 s, in all); what has not come then is lost
  --json                 print the result as one JSON object instead of the text report
  --help                 this text

Exit code: 0 when every receiver got every message of its room exactly once, 1 when a message was lost,
duplicated, misattributed or refused, 2 for a usage or setup error (the message says what to change).`;

/** Usage and setup errors: exit code 2, message without a stack. */
class LoadUsageError extends Error {}

function number(name, text, { min, max }, integer) {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new LoadUsageError(`${name} must be ${integer ? 'a whole number' : 'a number'}, got "${text ?? ''}"`);
  }
  if (n < min || n > max) throw new LoadUsageError(`${name} must be from ${min} to ${max}, got ${n}`);
  return n;
}

/** Parses argv (without node and the script) into the run's options; throws LoadUsageError on bad input. */
function parseOptions(argv) {
  const o = { users: 1000, rooms: 50, duration: 60, rate: 1, signupConcurrency: 4, drain: 15, url: null, launch: false, json: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      i += 1;
      if (i >= argv.length) throw new LoadUsageError(`${arg} needs a value`);
      return argv[i];
    };
    switch (arg) {
      case '--launch': o.launch = true; break;
      case '--json': o.json = true; break;
      case '--help': case '-h': o.help = true; break;
      case '--url': o.url = value(); break;
      case '--users': o.users = number('--users', value(), LIMITS.users, true); break;
      case '--rooms': o.rooms = number('--rooms', value(), LIMITS.rooms, true); break;
      case '--duration': o.duration = number('--duration', value(), LIMITS.duration, false); break;
      case '--rate': o.rate = number('--rate', value(), LIMITS.rate, false); break;
      case '--signup-concurrency': o.signupConcurrency = number('--signup-concurrency', value(), LIMITS.signupConcurrency, true); break;
      case '--drain': o.drain = number('--drain', value(), { min: 1, max: 120 }, false); break;
      default: throw new LoadUsageError(`unknown option "${arg}"; see --help`);
    }
  }
  if (o.url !== null && o.launch) throw new LoadUsageError('--url and --launch exclude each other: target a running example or start one, not both');
  if (o.url === null) o.launch = true;
  if (o.url !== null) {
    let url;
    try {
      url = new URL(o.url);
    } catch {
      throw new LoadUsageError(`--url must be the example's address like http://127.0.0.1:8000, got "${o.url}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LoadUsageError(`--url must start with http:// or https://, got "${o.url}"`);
    o.url = url.origin;
  }
  if (o.rooms > o.users) throw new LoadUsageError(`--rooms (${o.rooms}) must not exceed --users (${o.users}): every room needs a user`);
  if (o.users * o.rate > LIMITS.totalRate) {
    throw new LoadUsageError(`--users ${o.users} × --rate ${o.rate} is ${o.users * o.rate} messages/s; the script sends at most ${LIMITS.totalRate}/s: lower --rate or --users`);
  }
  return o;
}

module.exports = { parseOptions, LoadUsageError, HELP, LIMITS };
