'use strict';
/** Absolute paths of everything the bench launches, resolved from this file so the cwd never matters. */

const path = require('node:path');

const BENCH_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(BENCH_DIR, '..', '..');

/** Folder paths the bench uses. */
module.exports = {
  BENCH_DIR,
  REPO_ROOT,
  SERVERS_DIR: path.join(BENCH_DIR, 'servers'),
  LOADGEN_DIR: path.join(BENCH_DIR, 'loadgen'),
  RESULTS_DIR: path.join(BENCH_DIR, 'results'),
  MEM_PROBE: path.join(BENCH_DIR, 'mem-probe.js'),
  CLI_BIN: path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js'),
  CLI_REGISTER: path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'register.js'),
  ECHO_CHAT_DIR: path.join(REPO_ROOT, 'examples', 'websocket_chat'),
  DOCS_FILE: path.join(REPO_ROOT, 'docs', 'benchmarks.md'),
};
