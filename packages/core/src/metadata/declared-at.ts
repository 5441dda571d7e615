import { sep } from 'node:path';

// Frames inside Serv's own packages (sources in the monorepo, builds when installed) and any dependency
// (tsyringe, reflect-metadata, a test runner) are not where the user declared the route.
const INTERNAL = /[\\/](?:node_modules|packages[\\/](?:core|websocket|cli)[\\/](?:src|dist))[\\/]/;
// TypeScript's (and esbuild's) decorator helper sits at the top of the user's file, not at the class.
const HELPER = /^\s*at (?:__decorate|__decorateClass|__esDecorate)\b/;

/**
 * The `file:line` of the user code running a decorator, read from the stack once at decoration time,
 * so that route conflicts and `serv routes` can say where a route was declared.
 */
export function declaredAt(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(2) ?? [];
  for (const frame of stack) {
    if (HELPER.test(frame)) continue;
    const m = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):\d+\)?\s*$/.exec(frame);
    if (m === null || m[1].startsWith('node:') || INTERNAL.test(m[1])) continue;
    // Code run through eval or new Function has no file to point at.
    if (m[1].includes('<anonymous>')) return undefined;
    const cwd = process.cwd() + sep;
    return `${m[1].startsWith(cwd) ? m[1].slice(cwd.length) : m[1]}:${m[2]}`;
  }
  return undefined;
}
