'use strict';
/**
 * Child processes of the bench: every server and every load generator runs in its own process, pinned to its own
 * core with `taskset` when the machine has two or more, and every one is killed when the bench ends, however it ends.
 */

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

const live = new Set();
const TAIL_LINES = 40;
/** Characters of output kept once keepRawOutput() was called. */
const RAW_TAIL_CHARS = 8192;
/** How long an exited child's pipes may take to deliver its last output before the exit is reported anyway. */
const OUTPUT_GRACE_MS = 1000;

/** How servers and load generators are spread over cores on this machine. */
function cpuPlan() {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  let taskset = false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    taskset = true;
  } catch {
    taskset = false;
  }
  if (cores < 2 || !taskset) return { cores, taskset, server: null, load: null };
  return { cores, taskset, server: '0', load: cores === 2 ? '1' : `1-${cores - 1}` };
}

let plan = null;
/** The cached core plan (computed once per bench run). */
function getCpuPlan() {
  if (plan === null) plan = cpuPlan();
  return plan;
}

/** Builds argv with the optional fd-limit raise and core pinning in front of the real command. */
function wrapCommand(argv, { role, raiseFdLimit }) {
  let out = argv;
  if (raiseFdLimit) {
    // Raise the soft descriptor limit to the hard one for this child only; `exec` keeps the pid (and IPC fd).
    out = ['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...out];
  }
  const cpus = role ? getCpuPlan()[role] : null;
  if (cpus) out = ['taskset', '-c', cpus, ...out];
  return out;
}

/** A spawned child with its recent output, line waiters, an optional IPC request helper and a bounded stop. */
class BenchProcess {
  constructor(name, argv, options) {
    this.name = name;
    this.tail = [];
    /** Once set (see keepRawOutput), output is kept as raw text, not split into lines. */
    this.rawOutput = null;
    this.lineWaiters = new Set();
    this.exited = null;
    const wrapped = wrapCommand(argv, options);
    this.proc = spawn(wrapped[0], wrapped.slice(1), {
      cwd: options.cwd,
      env: options.env || process.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    // 'exit' can come before the child's last output has been read from its pipes (a crash's stack trace on stderr):
    // the exit is only reported once both pipes ended (or after OUTPUT_GRACE_MS), so error messages carry that output.
    const outputEnded = Promise.all([this.proc.stdout, this.proc.stderr].map((stream) => new Promise((resolve) => stream.once('close', resolve))));
    let reported = false;
    const report = (exited, resolve) => {
      if (reported) return;
      reported = true;
      this.exited = exited;
      live.delete(this);
      for (const waiter of this.lineWaiters) waiter.onExit();
      resolve(this.exited);
    };
    this.exitPromise = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        live.delete(this);
        let timer;
        const grace = new Promise((done) => {
          timer = setTimeout(done, OUTPUT_GRACE_MS);
        });
        void Promise.race([outputEnded, grace]).then(() => {
          clearTimeout(timer);
          report({ code, signal }, resolve);
        });
      });
      this.proc.on('error', (error) => report({ code: null, signal: null, error }, resolve));
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        if (this.rawOutput !== null) {
          this.rawOutput = (this.rawOutput + chunk).slice(-RAW_TAIL_CHARS);
          return;
        }
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          this.onLine(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
        if (pending.length > 64 * 1024) pending = pending.slice(-1024);
      });
      // A last line without a newline still counts.
      stream.on('end', () => {
        if (pending !== '') this.onLine(pending);
        pending = '';
      });
    }
  }

  get pid() {
    return this.proc.pid;
  }

  onLine(line) {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    for (const waiter of this.lineWaiters) waiter.onLine(line);
  }

  /**
   * From now on keep only the end of the output, unsplit: a server logging a line per request under load would
   * otherwise have this process split and scan every line, taking CPU from the processes being measured.
   * waitForLine() sees no later lines.
   */
  keepRawOutput() {
    this.rawOutput ??= '';
  }

  /** The child's recent output for error messages: from its first error line when there is one, else the last lines. */
  tailText(lines = 12) {
    if (this.rawOutput) this.tail.push(...this.rawOutput.split('\n'));
    this.rawOutput &&= '';
    const first = this.tail.findIndex((line) => /error/i.test(line));
    if (this.tail.length === 0) return '(no output on stdout or stderr)';
    return (first === -1 ? this.tail.slice(-lines) : this.tail.slice(first, first + lines)).join('\n');
  }

  /**
   * Resolves with the regex match of the first output line matching `regex` (described as `what` in errors);
   * rejects on exit or after timeoutMs.
   */
  waitForLine(regex, timeoutMs, what = String(regex)) {
    for (const line of this.tail) {
      const match = regex.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        onLine: (line) => {
          const match = regex.exec(line);
          if (match) finish(null, match);
        },
        onExit: () => finish(new Error(`${this.name} exited (${describeExit(this.exited)}) before printing ${what}; last output:\n${this.tailText()}`)),
      };
      const timer = setTimeout(() => finish(new Error(`${this.name} printed no ${what} within ${timeoutMs} ms; last output:\n${this.tailText()}`)), timeoutMs);
      const finish = (error, match) => {
        clearTimeout(timer);
        this.lineWaiters.delete(waiter);
        if (error) reject(error);
        else resolve(match);
      };
      this.lineWaiters.add(waiter);
      if (this.exited) waiter.onExit();
    });
  }

  /** Sends an IPC message and resolves with the first reply whose `type` is `replyType`, bounded by timeoutMs. */
  request(message, replyType, timeoutMs) {
    return new Promise((resolve, reject) => {
      if (this.exited || !this.proc.connected) {
        reject(new Error(`${this.name} has no IPC channel (exited: ${describeExit(this.exited)}); last output:\n${this.tailText()}`));
        return;
      }
      const onMessage = (reply) => {
        if (reply && reply.type === replyType) finish(null, reply);
        else if (reply && reply.type === 'error') finish(new Error(`${this.name} failed: ${reply.error}`));
      };
      const onExit = () => finish(new Error(`${this.name} exited (${describeExit(this.exited)}) while waiting for "${replyType}"; last output:\n${this.tailText()}`));
      const timer = setTimeout(() => finish(new Error(`${this.name} sent no "${replyType}" within ${timeoutMs} ms; last output:\n${this.tailText()}`)), timeoutMs);
      const finish = (error, reply) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        this.proc.off('message', onMessage);
        if (error) reject(error);
        else resolve(reply);
      };
      let done = false;
      this.proc.on('message', onMessage);
      void this.exitPromise.then(onExit);
      this.proc.send(message);
    });
  }

  /** Resolves with the first IPC message of `type` (no request sent), bounded by timeoutMs. */
  waitForMessage(type, timeoutMs) {
    return new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m && m.type === type) finish(null, m);
      };
      const onExit = () => finish(new Error(`${this.name} exited (${describeExit(this.exited)}) before sending "${type}"; last output:\n${this.tailText()}`));
      const timer = setTimeout(() => finish(new Error(`${this.name} sent no "${type}" within ${timeoutMs} ms; last output:\n${this.tailText()}`)), timeoutMs);
      const finish = (error, m) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        this.proc.off('message', onMessage);
        if (error) reject(error);
        else resolve(m);
      };
      let done = false;
      if (this.exited) {
        onExit();
        return;
      }
      this.proc.on('message', onMessage);
      void this.exitPromise.then(onExit);
    });
  }

  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  async stop(graceMs = 3000) {
    if (this.exited) return this.exited;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited) this.proc.kill('SIGKILL');
    }, graceMs);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }
}

function describeExit(exited) {
  if (!exited) return 'still running';
  if (exited.error) return exited.error.message;
  return exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`;
}

/**
 * Spawns a child process; `role` ('server' | 'load' | null) picks its cores, `ipc` opens an IPC channel,
 * `raiseFdLimit` lifts the soft descriptor limit to the hard limit first.
 */
function spawnProcess(name, argv, options = {}) {
  return new BenchProcess(name, argv, options);
}

/**
 * The process that actually serves for a launched `pid`: `serv launch` starts its server in a child process when the
 * young generation of `settings.runtime` needs V8 options it was not started with, and stays as a relay. A process
 * with exactly one child is such a relay; anything else serves itself. Linux only (elsewhere: `pid`).
 */
function servingPid(pid) {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length === 1 ? Number(children[0]) : pid;
  } catch {
    return pid;
  }
}

/** Resident set size of `pid` in bytes from /proc (no GC, no IPC: usable while the process is under load), or null. */
function residentBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Kills every child still alive (synchronously, for exit paths). */
function killAll() {
  for (const child of live) {
    try {
      child.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

module.exports = { spawnProcess, killAll, getCpuPlan, describeExit, servingPid, residentBytes };
