'use strict';
/** The machine description every run records next to its numbers (CPU, cores, memory, node, descriptor limits). */

const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { getCpuPlan } = require('./processes');
const { REPO_ROOT } = require('./paths');

function shell(command) {
  try {
    return execFileSync('sh', ['-c', command], { encoding: 'utf8', cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Soft and hard `ulimit -n` as numbers (Infinity for "unlimited"). */
function fdLimits() {
  const parse = (text) => (text === 'unlimited' ? Infinity : Number(text));
  return { soft: parse(shell('ulimit -Sn')), hard: parse(shell('ulimit -Hn')) };
}

/** What this run ran on, for the report and the JSON. */
function describeMachine() {
  const cpus = os.cpus();
  const plan = getCpuPlan();
  const limits = fdLimits();
  const commit = shell('git rev-parse --short HEAD');
  const dirty = shell('git status --porcelain --untracked-files=no');
  return {
    cpuModel: cpus.length > 0 ? cpus[0].model.trim() : 'unknown',
    cores: plan.cores,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ulimitSoft: limits.soft,
    ulimitHard: limits.hard,
    pinning: plan.server ? `server on core ${plan.server}, load generator on core ${plan.load} (taskset)` : `none (${plan.cores} core(s)${plan.taskset ? '' : ', no taskset'})`,
    commit: commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
  };
}

/** One Markdown line describing the machine. */
function machineLine(m) {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ulimit -n ${m.ulimitSoft} (hard ${m.ulimitHard}); pinning: ${m.pinning}; commit ${m.commit}`;
}

module.exports = { describeMachine, machineLine, fdLimits };
