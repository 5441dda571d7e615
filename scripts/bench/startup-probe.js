'use strict';
/**
 * Preloaded (`-r`) into servers whose startup is timed: measures how long the first `require('typescript')` takes
 * inside the real process and prints `[serv-bench] typescript loaded in <ms> ms` to stderr, so the startup section can
 * give the share spent loading TypeScript without guessing. Restores the original loader right after.
 */

const Module = require('node:module');
const { performance } = require('node:perf_hooks');

const TYPESCRIPT = /(^typescript$)|([\\/]node_modules[\\/]typescript[\\/]lib[\\/]typescript\.js$)/;
const originalLoad = Module._load;

Module._load = function loadWatchingTypeScript(request, ...rest) {
  if (!TYPESCRIPT.test(request)) return originalLoad.call(this, request, ...rest);
  Module._load = originalLoad;
  const started = performance.now();
  try {
    return originalLoad.call(this, request, ...rest);
  } finally {
    process.stderr.write(`[serv-bench] typescript loaded in ${(performance.now() - started).toFixed(1)} ms\n`);
  }
};
