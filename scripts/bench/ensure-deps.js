'use strict';
// `npm test` runs this first: the bench smoke test needs the bench's own dependencies (autocannon, fastify), which live
// in scripts/bench so that the root `npm ci` stays lean. Installs them once, quietly; does nothing when present.
const { execFileSync } = require('node:child_process');
const { missingBenchDependencies } = require('./lib/bench-deps');
const P = require('./lib/paths');

const missing = missingBenchDependencies();
if (missing.length > 0) {
  process.stdout.write(`test: installing the bench's own dependencies (${missing.join(', ')}) into scripts/bench\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--prefix', P.BENCH_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}
