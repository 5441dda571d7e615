'use strict';
/**
 * Preloaded (`-r`) into every server the bench measures: answers `{ type: 'mem' }` on the IPC channel with
 * `process.memoryUsage()` taken after a full GC (when `--expose-gc` is on), so memory can be read from outside
 * without adding a route to the server under test. Does nothing in a process without an IPC channel. A request may
 * name the `pid` it is for: `serv launch` can serve from a child process it relays IPC to (the V8 options of
 * `settings.runtime` need a process started with them), and then only the serving process answers.
 */

if (typeof process.send === 'function' && process.channel) {
  process.on('message', (message) => {
    if (!message || message.type !== 'mem' || (message.pid !== undefined && message.pid !== process.pid)) return;
    const gcExposed = typeof global.gc === 'function';
    if (gcExposed) {
      // Two passes: the first may only promote weakly held objects, the second collects them.
      global.gc();
      global.gc();
    }
    // The young generation's committed size (both semi-spaces): what settings.runtime.semi_space_mb lets grow.
    const newSpace = require('node:v8').getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.send({ type: 'mem', gcExposed, usage: process.memoryUsage(), newSpaceBytes: newSpace ? newSpace.physical_space_size : null });
  });
  // The probe must never keep the server alive on its own.
  process.channel.unref();
}
