'use strict';
/**
 * CPU seconds used by a launched server and every process under it (`serv launch` may re-run Node with runtime
 * flags or start workers), read from /proc: the robust per-message cost on a noisy shared machine, where wall-clock
 * rates move with everyone else's load. Null where /proc is not available.
 */

const fs = require('node:fs');
const { processTimes } = require('../bench/lib/proc-stat');

/** The pids of `pid` and all its descendants, from the ppid field of every /proc/N/stat. */
function processTree(pid) {
  let entries;
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [pid];
  }
  const children = new Map();
  for (const name of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift();
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** User + system CPU seconds of `pid`'s tree so far, or null when /proc cannot be read. */
function treeCpuSeconds(pid) {
  let total = 0;
  for (const member of processTree(pid)) {
    const times = processTimes(member);
    if (times === null) {
      if (member === pid) return null;
      continue;
    }
    total += times.user + times.system;
  }
  return total;
}

module.exports = { treeCpuSeconds };
