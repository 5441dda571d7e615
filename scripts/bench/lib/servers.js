'use strict';
/**
 * The catalogue of servers under test. Each entry says how to launch it in its own process (pinned to the server
 * core, with the memory probe preloaded), which protocol its clients speak, and — when it cannot run — why.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnProcess, servingPid } = require('./processes');
const { writeBenchConfig } = require('./serv-config');
const P = require('./paths');
const { notInstalled, INSTALL_HINT } = require('./bench-deps');

const LISTENING = /listening on http:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/;
const START_TIMEOUT_MS = 20000;

/** NODE_OPTIONS that give the memory probe a GC to call and load it before the server's own code. */
function probeEnv(extra = {}) {
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  return { ...process.env, NODE_OPTIONS: `${inherited}--expose-gc --require=${P.MEM_PROBE}`, ...extra };
}

function missingFile(file, what) {
  return fs.existsSync(file) ? null : `${path.relative(P.REPO_ROOT, file)} not found (${what})`;
}

function peerMissing(modules) {
  const missing = notInstalled(modules);
  return missing.length === 0 ? null : `not installed: ${missing.join(', ')} (run \`${INSTALL_HINT}\`)`;
}

/**
 * WebSocket echo servers: the raw bare `ws` echo (transport ceiling), bare `ws` doing the echo chat's application work
 * (the baseline Serv is judged on), Serv's echo chat, and the opt-in peers.
 */
const WS_SERVERS = {
  ws: {
    id: 'ws', label: 'bare ws', kind: 'baseline', protocol: 'raw', wsPath: '/', echoPrefix: '',
    unavailable: () => null,
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'ws-echo.js'), '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
  // The same application work as the echo chat (decode the text frame to a string, answer `Echo: <text>`): the
  // baseline Serv's echo targets are judged on, so the ratio charges Serv only for what the framework adds.
  'ws-app': {
    id: 'ws-app', label: 'bare ws, same app work', kind: 'baseline', protocol: 'raw', wsPath: '/', echoPrefix: 'Echo: ',
    unavailable: () => null,
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'ws-echo.js'), '--app-work', '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
  // Controls (`--controls`): bare ws running the echo chat's work in the handler shape Serv's contract prescribes,
  // `for await (const message of …) await send(…)`, so a run shows what that programming model costs without Serv.
  'ws-await': {
    id: 'ws-await', label: 'control: bare ws, for-await handler', kind: 'control', protocol: 'raw', wsPath: '/', echoPrefix: 'Echo: ',
    unavailable: () => null,
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'ws-echo.js'), '--for-await', '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
  'ws-await-drop': {
    id: 'ws-await-drop', label: 'control: same, message dropped before each await', kind: 'control', protocol: 'raw', wsPath: '/', echoPrefix: 'Echo: ',
    unavailable: () => null,
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'ws-echo.js'), '--for-await-drop', '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
  // Launched as users launch it, so `settings.runtime` applies (`launched`): the default young generation.
  serv: {
    id: 'serv', label: 'Serv echo chat', kind: 'serv', protocol: 'raw', wsPath: '/ws', echoPrefix: 'Echo: ', launched: true,
    unavailable: () => missingFile(P.CLI_BIN, 'the CLI is not built: run `npm run build`')
      || missingFile(path.join(P.ECHO_CHAT_DIR, 'serv.config.yaml'), 'the echo chat example is not written yet'),
    command: ({ port, configOverrides }) => ({
      argv: [process.execPath, P.CLI_BIN, 'launch', '--port', String(port || 0), '--config', writeBenchConfig(configOverrides)],
      cwd: P.ECHO_CHAT_DIR,
      env: { SERV_DEBUG: 'false' },
    }),
  },
  nest: {
    id: 'nest', label: 'NestJS gateway (platform-ws)', kind: 'peer', protocol: 'nest', wsPath: '/', echoPrefix: '',
    unavailable: () => peerMissing(['@nestjs/core', '@nestjs/common', '@nestjs/websockets', '@nestjs/platform-ws', 'rxjs']),
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'peers', 'nest-ws-echo.js'), '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
  socketio: {
    id: 'socketio', label: 'socket.io', kind: 'peer', protocol: 'socketio', wsPath: '/socket.io/', echoPrefix: '',
    unavailable: () => peerMissing(['socket.io', 'socket.io-client']),
    command: ({ port }) => ({ argv: [process.execPath, path.join(P.SERVERS_DIR, 'peers', 'socketio-echo.js'), '--port', String(port || 0)], cwd: P.BENCH_DIR }),
  },
};

/**
 * The semi-space size `serv launch` starts servers with by default (`settings.runtime.semi_space_mb`), read from the
 * built @serv/core so the bench always compares against what users get; null when core is not built.
 */
function defaultSemiSpaceMb() {
  try {
    return require(path.join(P.REPO_ROOT, 'packages', 'core', 'dist', 'index.js')).DEFAULT_SEMI_SPACE_MB;
  } catch {
    return null;
  }
}

/**
 * A copy of `spec` whose server runs with V8's semi-space at `mb` MB (`'default'`: Node's own size). Serv's echo chat
 * gets it the way users set it (SERV_SEMI_SPACE_MB, which `serv launch` applies); every other server gets the node
 * flag itself (`--max-semi-space-size`), which is also what a program calling `createApp()` does.
 */
function withSemiSpace(spec, mb) {
  const flags = mb === 'default' ? [] : [`--max-semi-space-size=${mb}`];
  return {
    ...spec,
    id: `${spec.id}@${mb}`,
    label: `${spec.label}, semi-space ${mb === 'default' ? "Node's default" : `${mb} MB`}`,
    semiSpace: mb,
    command: (options) => {
      const command = spec.command(options);
      if (spec.launched) return { ...command, env: { ...(command.env || {}), SERV_SEMI_SPACE_MB: String(mb) } };
      return { ...command, argv: [command.argv[0], ...flags, ...command.argv.slice(1)] };
    },
  };
}

/**
 * V8 flags every HTTP server runs with, alike. V8's memory reducer runs a full GC in a process that has been idle for
 * about 8 s once its heap has grown past a few MB; on Node 20, a server that had answered a request before that GC
 * stays ~20 % slower for the rest of its life (optimized stream code then defines `process.nextTick`'s
 * `{ [async_id_symbol]: … }` tick objects through the generic runtime path). Interleaved rounds leave every server idle
 * while the others are measured, and only servers with more than a minimal heap (fastify, Serv, or bare node:http after
 * `require('yaml')`) arm the reducer at all, so without this flag the ratio measures which process the trap hit,
 * not the framework. See "HTTP and V8's memory reducer" in docs/benchmarks.md.
 */
const HTTP_V8_FLAGS = ['--no-memory-reducer'];

/** HTTP servers: `GET /users/42` on bare node:http, fastify and a Serv route class. */
const HTTP_SERVERS = {
  'node-http': {
    id: 'node-http', label: 'bare node:http', kind: 'baseline', unavailable: () => null,
    command: () => ({ argv: [process.execPath, ...HTTP_V8_FLAGS, path.join(P.SERVERS_DIR, 'node-http.js')], cwd: P.BENCH_DIR }),
  },
  fastify: {
    id: 'fastify', label: 'fastify', kind: 'baseline', unavailable: () => null,
    command: () => ({ argv: [process.execPath, ...HTTP_V8_FLAGS, path.join(P.SERVERS_DIR, 'fastify-http.js')], cwd: P.BENCH_DIR }),
  },
  'fastify-logger': {
    id: 'fastify-logger', label: 'fastify, logger on (reference)', kind: 'reference', unavailable: () => null,
    command: () => ({ argv: [process.execPath, ...HTTP_V8_FLAGS, path.join(P.SERVERS_DIR, 'fastify-http.js'), '--logger'], cwd: P.BENCH_DIR }),
  },
  'node-http-contract': {
    id: 'node-http-contract', label: 'bare node:http + request id header and JSON line (reference)', kind: 'reference', unavailable: () => null,
    command: () => ({ argv: [process.execPath, ...HTTP_V8_FLAGS, path.join(P.SERVERS_DIR, 'node-http-contract.js')], cwd: P.BENCH_DIR }),
  },
  serv: {
    id: 'serv', label: 'Serv route class', kind: 'serv',
    unavailable: () => missingFile(P.CLI_REGISTER, 'the CLI TypeScript loader is not built: run `npm run build`')
      || missingFile(path.join(P.REPO_ROOT, 'packages', 'core', 'dist', 'index.js'), '@serv/core is not built: run `npm run build`'),
    command: () => ({
      argv: [process.execPath, ...HTTP_V8_FLAGS, '-r', P.CLI_REGISTER, path.join(P.SERVERS_DIR, 'serv-http.ts')],
      cwd: P.REPO_ROOT,
    }),
  },
};

const servAuthUnavailable = () => missingFile(P.CLI_REGISTER, 'the CLI TypeScript loader is not built: run `npm run build`')
  || missingFile(path.join(P.REPO_ROOT, 'packages', 'core', 'dist', 'index.js'), '@serv/core is not built: run `npm run build`');

/** Sessions section: the same `GET /users/42` with neither session nor guard, and guarded + session-reading per store. */
const authServer = (id, label, kind, extra) => ({
  id, label, kind, unavailable: servAuthUnavailable,
  command: () => ({ argv: [process.execPath, ...HTTP_V8_FLAGS, '-r', P.CLI_REGISTER, path.join(P.SERVERS_DIR, 'serv-auth.ts'), ...extra], cwd: P.REPO_ROOT }),
});
const AUTH_SERVERS = {
  plain: authServer('plain', 'Serv route, no session, no guard', 'baseline', []),
  sqlite: authServer('sqlite', 'Serv route, SQLite session + guard', 'serv', ['--sessions', '--store', 'sqlite']),
  memory: authServer('memory', 'Serv route, memory session + guard', 'serv', ['--sessions', '--store', 'memory']),
  redis: authServer('redis', 'Serv route, Redis session + guard', 'serv', ['--sessions', '--store', 'redis']),
};

/**
 * Launches `spec` pinned to the server core and resolves once it printed its listening line, with the port.
 * Throws (with the server's last output) when it exits or stays silent for START_TIMEOUT_MS.
 */
async function startServer(spec, options = {}) {
  const reason = spec.unavailable();
  if (reason) throw new Error(reason);
  const { argv, cwd, env } = spec.command(options);
  const child = spawnProcess(`${spec.label} server`, argv, {
    role: 'server',
    ipc: true,
    cwd,
    env: probeEnv({ ...(env || {}), ...(options.env || {}) }),
    raiseFdLimit: Boolean(options.raiseFdLimit),
  });
  try {
    const match = await child.waitForLine(LISTENING, options.startTimeoutMs || START_TIMEOUT_MS, 'its "listening on http://HOST:PORT" line');
    child.keepRawOutput();
    // `pid` is the process that serves (CPU and memory are read there); `child` the one launched (and stopped).
    return { spec, child, port: Number(match[2]), pid: servingPid(child.pid) };
  } catch (error) {
    await child.stop(1000);
    throw error;
  }
}

/** Reads the server's memory through the preloaded probe (after a full GC when exposed). */
async function readMemory(server) {
  const reply = await server.child.request({ type: 'mem', pid: server.pid }, 'mem', 10000);
  return { ...reply.usage, gcExposed: reply.gcExposed, newSpaceBytes: reply.newSpaceBytes ?? null };
}

module.exports = { WS_SERVERS, HTTP_SERVERS, AUTH_SERVERS, HTTP_V8_FLAGS, startServer, readMemory, probeEnv, LISTENING, withSemiSpace, defaultSemiSpaceMb };
