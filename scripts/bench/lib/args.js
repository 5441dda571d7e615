'use strict';
/** Command-line options of `npm run bench`, with the defaults each mode implies. */

const SECTIONS = ['ws', 'idle', 'http', 'startup', 'rooms', 'history', 'auth'];

const HELP = `Usage: npm run bench -- [options]

  --quick            smoke mode: ~0.5 s cells, 10 echo connections, 500 idle connections, 1 startup run
  --only LIST        run only these sections (comma-separated): ${SECTIONS.join(', ')}
  --duration SEC     measured seconds per echo / HTTP round (default 3; --quick 0.5)
  --rounds N         interleaved rounds per echo / HTTP cell, median reported (default 3; --quick 1)
  --idle N           idle connections per server (default 10000; --quick 500)
  --max              idle test up to the descriptor limit (ulimit -n), over 127.0.0.2-9 source addresses
  --runs N           startup runs per variant (default 5; --quick 1)
  --pipeline N       messages in flight per connection in pipelined mode (default 32)
  --room-members N   members of the broadcast room (default 1000; --quick 100); rooms needs Redis at 127.0.0.1:6379
  --peers            also run the echo and idle tests against a NestJS gateway and socket.io (opt-in install)
  --controls         also run bare ws with the for-await handler shape (echo and idle): prices the programming model
  --semi-space LIST  also run Serv with these young-generation sizes (MB, comma-separated; "default" = Node's own),
                     in every section but startup, and print a summary table per size (e.g. 16,32,64,128,default)
  --no-write         print only: do not write scripts/bench/results/ nor the latest run in docs/benchmarks.md
  --help             this text
`;

/** Usage errors carry exit code 2, like the serv CLI's. */
class UsageError extends Error {}

function positive(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** `16,32,default` → [16, 32, 'default']: powers of two up to 1024 (what settings.runtime.semi_space_mb accepts). */
function semiSpaceList(text) {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    if (part === 'default') return part;
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < 1 || n > 1024 || (n & (n - 1)) !== 0) throw new UsageError(`--semi-space takes powers of two from 1 to 1024 or "default", got "${part}"`);
    return n;
  });
}

/** Parses argv (without node and the script) into the bench options. */
function parseArgs(argv) {
  const raw = { quick: false, max: false, peers: false, controls: false, write: true, help: false, only: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    switch (arg) {
      case '--quick': raw.quick = true; break;
      case '--max': raw.max = true; break;
      case '--peers': raw.peers = true; break;
      case '--controls': raw.controls = true; break;
      case '--no-write': raw.write = false; break;
      case '--help': case '-h': raw.help = true; break;
      case '--only': raw.only = value(); break;
      case '--duration': raw.duration = positive('--duration', value()); break;
      case '--idle': raw.idle = Math.floor(positive('--idle', value())); break;
      case '--rounds': raw.rounds = Math.floor(positive('--rounds', value())); break;
      case '--runs': raw.runs = Math.floor(positive('--runs', value())); break;
      case '--pipeline': raw.pipeline = Math.floor(positive('--pipeline', value())); break;
      case '--room-members': raw.roomMembers = Math.floor(positive('--room-members', value()) / 2) * 2; break;
      case '--semi-space': raw.semiSpaces = semiSpaceList(value()); break;
      default: throw new UsageError(`unknown option "${arg}"; see --help`);
    }
  }
  let sections = SECTIONS;
  if (raw.only !== null) {
    sections = raw.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = sections.filter((s) => !SECTIONS.includes(s));
    if (unknown.length > 0 || sections.length === 0) throw new UsageError(`--only takes ${SECTIONS.join('|')} (comma-separated), got "${raw.only}"`);
  }
  const durationMs = Math.round((raw.duration ?? (raw.quick ? 0.5 : 3)) * 1000);
  return {
    help: raw.help,
    quick: raw.quick,
    max: raw.max,
    peers: raw.peers,
    controls: raw.controls,
    semiSpaces: raw.semiSpaces ?? [],
    write: raw.write,
    sections,
    durationMs,
    rounds: raw.rounds ?? (raw.quick ? 1 : 3),
    warmupMs: raw.quick ? 200 : Math.min(1000, Math.max(200, Math.round(durationMs / 5))),
    wsConnections: raw.quick ? [10] : [50, 500],
    pipeline: raw.pipeline ?? 32,
    httpConnections: raw.quick ? 10 : 50,
    idleConnections: raw.idle ?? (raw.quick ? 500 : 10000),
    startupRuns: raw.runs ?? (raw.quick ? 1 : 5),
    roomMembers: raw.roomMembers ?? (raw.quick ? 100 : 1000),
    roomIdle: raw.quick ? 1000 : 4000,
  };
}

module.exports = { parseArgs, UsageError, HELP, SECTIONS };
