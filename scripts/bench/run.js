#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: runs every section (WebSocket echo, idle connections, HTTP, startup, sessions) against its baselines in one
 * go, prints a table per section with ratios from this run and the targets, then keeps the run in
 * scripts/bench/results/<date>.md (+ raw .json) and as the "Latest run" of docs/benchmarks.md (unless --no-write).
 */

const { parseArgs, UsageError, HELP } = require('./lib/args');
const { describeMachine, machineLine } = require('./lib/machine');
const { renderRun, writeResults } = require('./lib/report');
const { killAll } = require('./lib/processes');
const { missingBenchDependencies, INSTALL_HINT } = require('./lib/bench-deps');
const { renderSweep } = require('./lib/sweep');

const SECTION_RUNNERS = {
  ws: () => require('./sections/ws-echo').runWsEcho,
  idle: () => require('./sections/idle').runIdle,
  http: () => require('./sections/http').runHttp,
  startup: () => require('./sections/startup').runStartup,
  rooms: () => require('./sections/rooms').runRooms,
  history: () => require('./sections/history').runHistory,
  auth: () => require('./sections/auth').runAuth,
};

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const missing = missingBenchDependencies();
  if (missing.length > 0) {
    process.stderr.write(`bench: not installed: ${missing.join(', ')}. The benchmark's own dependencies live in scripts/bench/package.json; install them with:\n  ${INSTALL_HINT}\n`);
    return 1;
  }
  const log = (line) => process.stderr.write(`${line}\n`);
  const startedAt = new Date();
  const machine = describeMachine();
  log(`bench: ${machineLine(machine)}`);
  const sections = [];
  for (const id of opts.sections) {
    log(`bench: section ${id}…`);
    const started = Date.now();
    const result = await SECTION_RUNNERS[id]()(opts, log);
    result.seconds = (Date.now() - started) / 1000;
    sections.push(result);
  }
  const run = { startedAt: startedAt.toISOString(), machine, options: opts, sections };
  if (opts.semiSpaces.length > 0) run.sweep = renderSweep(sections, opts);
  const markdown = renderRun(run);
  process.stdout.write(`${markdown}\n`);
  if (opts.write) {
    const written = writeResults(run, markdown);
    log(`bench: run kept in ${written.markdown} (raw figures ${written.json}); latest run in ${written.docs}`);
  }
  return 0;
}

main().then(
  (code) => {
    killAll();
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bench: ${error.stack || error}\n`);
    killAll();
    process.exitCode = 1;
  },
);
