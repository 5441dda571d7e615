'use strict';
/**
 * CPU accounting from /proc (Linux) over a measured window: the server's and the load generator's CPU, and the user
 * CPU of every other process on the machine — the noise indicator (a build or test run elsewhere shows up there).
 * Every figure is a percentage of one core; figures are null where /proc is not available.
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

/** `{ user, system }` CPU seconds consumed so far by `pid`, or null. */
function processTimes(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / clockTicks(), system: Number(fields[12]) / clockTicks() };
  } catch {
    return null;
  }
}

/** User CPU seconds (user + nice) of the whole machine so far, or null. */
function machineUserSeconds() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    return (fields[0] + fields[1]) / clockTicks();
  } catch {
    return null;
  }
}

/**
 * Starts metering the processes `pids` (e.g. `{ server, load }`); `stop()` returns `{ server, load, othersUser }` in
 * percent of one core over the window: each process's user + system CPU, and every other process's user CPU.
 */
function cpuMeter(pids) {
  const start = { wall: process.hrtime.bigint(), machine: machineUserSeconds(), procs: {} };
  for (const [name, pid] of Object.entries(pids)) start.procs[name] = processTimes(pid);
  return {
    stop() {
      const wall = Number(process.hrtime.bigint() - start.wall) / 1e9;
      const out = {};
      let ownUser = 0;
      let complete = true;
      for (const [name, pid] of Object.entries(pids)) {
        const before = start.procs[name];
        const after = processTimes(pid);
        if (!before || !after) {
          out[name] = null;
          complete = false;
          continue;
        }
        out[name] = ((after.user - before.user + after.system - before.system) / wall) * 100;
        ownUser += after.user - before.user;
      }
      const machine = machineUserSeconds();
      out.othersUser = complete && machine !== null && start.machine !== null
        ? Math.max(0, ((machine - start.machine - ownUser) / wall) * 100)
        : null;
      return out;
    },
  };
}

module.exports = { processTimes, cpuMeter };
