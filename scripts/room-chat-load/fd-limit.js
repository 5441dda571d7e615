'use strict';
/**
 * The open-file check: every simulated user holds one socket in this process (and one in the server when it is
 * launched here, which inherits this limit), so a run needs more descriptors than users. Checked before anything
 * starts, so a low `ulimit -n` is a clear message instead of EMFILE halfway through the sign-ups.
 */

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { LoadUsageError } = require('./options');

/** Descriptors a process needs beyond one per user: stdio, the HTTP client's pool, SQLite files, Node's own. */
const HEADROOM = 200;

/** The soft open-file limit of this process, or null when it cannot be read (then the check is skipped). */
function openFileLimit() {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === 'unlimited') return Infinity;
    if (soft !== undefined && /^\d+$/.test(soft)) return Number(soft);
  } catch {
    // Not Linux: ask the shell below.
  }
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Infinity : Number(text) || null;
  } catch {
    return null;
  }
}

/** Throws LoadUsageError naming the limit and the command to raise it when `users` sockets would not fit. */
function checkOpenFileLimit(users) {
  const limit = openFileLimit();
  const needed = users + HEADROOM;
  if (limit === null || limit >= needed) return { limit, needed };
  throw new LoadUsageError(
    `--users ${users} needs about ${needed} open files per process (one socket per user plus ${HEADROOM}), but ulimit -n is ${limit}: `
      + `raise it in this shell with "ulimit -n ${needed}" (the hard limit, "ulimit -Hn", is the most you can set without root) or lower --users`,
  );
}

module.exports = { checkOpenFileLimit, openFileLimit };
