'use strict';
/** Runs one load-generator script in its own process pinned to the load core(s) and collects its IPC result. */

const path = require('node:path');
const { spawnProcess } = require('./processes');
const { LOADGEN_DIR } = require('./paths');

/**
 * Spawns `loadgen/<script>` with `config` as its JSON argument; calls `onPhase(name, loadPid)` on its phase
 * messages;
 * resolves with its `result` message (rejecting on `error` in it, on exit, or after timeoutMs).
 */
async function runLoad(script, config, { onPhase, timeoutMs, raiseFdLimit = false }) {
  const child = spawnProcess(`load generator ${script}`, [process.execPath, path.join(LOADGEN_DIR, script), JSON.stringify(config)], {
    role: 'load',
    ipc: true,
    raiseFdLimit,
  });
  if (onPhase) {
    child.proc.on('message', (message) => {
      if (message && message.type === 'phase') onPhase(message.phase, child.pid);
    });
  }
  try {
    const result = await child.waitForMessage('result', timeoutMs);
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    await child.stop(3000);
  }
}

/** Starts a command-driven load generator (see loadgen/ws-idle.js) and returns the process to `request()` on. */
function startLoad(script, config, { raiseFdLimit = false } = {}) {
  return spawnProcess(`load generator ${script}`, [process.execPath, path.join(LOADGEN_DIR, script), JSON.stringify(config)], {
    role: 'load',
    ipc: true,
    raiseFdLimit,
  });
}

module.exports = { runLoad, startLoad };
