'use strict';
/**
 * The bench's own dependencies (load generator, baseline framework) are kept out of the root package.json, so a
 * plain `npm ci` of the repository stays lean and warning-free on Node 20; they are installed into scripts/bench.
 */

const P = require('./paths');

/** Packages every run needs (the opt-in peers of --peers are checked per server, see servers.js). */
const REQUIRED = ['autocannon', 'fastify'];

/** The command that installs them. */
const INSTALL_HINT = 'npm install --prefix scripts/bench';

/** The packages of `names` that do not resolve from scripts/bench. */
function notInstalled(names) {
  return names.filter((name) => {
    try {
      require.resolve(name, { paths: [P.BENCH_DIR] });
      return false;
    } catch {
      return true;
    }
  });
}

/** The required packages that are not installed. */
function missingBenchDependencies() {
  return notInstalled(REQUIRED);
}

module.exports = { missingBenchDependencies, notInstalled, INSTALL_HINT, REQUIRED };
