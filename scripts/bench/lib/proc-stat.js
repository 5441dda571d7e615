'use strict';
/**
 * CPU time of another process from /proc (Linux), so each row can say whether the server or the load generator was
 * the one saturated. Returns null where /proc is not available.
 */

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

let ticksPerSecond = null;

function clockTicks() {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds consumed so far by `pid`, or null. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

/** Starts a CPU meter on `pid`; `stop()` returns the busy percentage of one core since the start, or null. */
function cpuMeter(pid) {
  const startCpu = cpuSeconds(pid);
  const startWall = process.hrtime.bigint();
  return {
    stop() {
      const endCpu = cpuSeconds(pid);
      if (startCpu === null || endCpu === null) return null;
      const wall = Number(process.hrtime.bigint() - startWall) / 1e9;
      return ((endCpu - startCpu) / wall) * 100;
    },
  };
}

module.exports = { cpuSeconds, cpuMeter };
