#!/usr/bin/env node
'use strict';
/**
 * Load script of examples/room_chat (issue 17): N simulated users in M rooms for a bounded window on loopback;
 * reports messages/s sent and delivered, p50/p99 delivery latency, and every lost or duplicated message per receiver
 * (exit code 1 if there is any). `node scripts/room-chat-load.js --help` (or `npm run load:rooms -- --help`).
 */

const { parseOptions, LoadUsageError, HELP } = require('./room-chat-load/options');
const { checkOpenFileLimit } = require('./room-chat-load/fd-limit');
const { launchExample } = require('./room-chat-load/launch-example');
const { runLoad } = require('./room-chat-load/run-load');
const { formatReport } = require('./room-chat-load/report');

const log = (line) => process.stderr.write(`${line}\n`);

async function main(argv) {
  const opts = parseOptions(argv);
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  checkOpenFileLimit(opts.users);
  const server = opts.launch ? await launchExample({ users: opts.users, log }) : null;
  // Ctrl-C (or a test's SIGTERM) must not leave the launched server running.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`room-chat-load: ${signal}: stopping${server === null ? '' : ' the launched server'}`);
      void (server === null ? Promise.resolve() : server.stop()).then(() => process.exit(130));
    });
  }
  let result;
  try {
    result = await runLoad(opts, server?.url ?? opts.url, { serverPid: server?.pid ?? null, log });
  } finally {
    if (server !== null) {
      const exit = await server.stop();
      if (exit.code !== 0 && exit.signal !== null) log(`the launched server exited with ${exit.signal ?? `code ${exit.code}`}; its output:\n${server.output()}`);
    }
  }
  const target = server === null ? opts.url : `examples/room_chat launched from a temp copy (dev shape: SQLite store and sessions, memory broker)${server.notes.length > 0 ? `; ${server.notes.join('; ')}` : ''}`;
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, target })}\n`);
  else process.stdout.write(`${formatReport(result, target)}\n`);
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof LoadUsageError) log(`room-chat-load: ${error.message}`);
    else log(`room-chat-load: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 2;
  },
);
