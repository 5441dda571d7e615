import { sep } from 'node:path';

const INTERNAL = [`${sep}packages${sep}core${sep}`, `${sep}@serv${sep}core${sep}`, `${sep}node_modules${sep}tsyringe${sep}`, `${sep}reflect-metadata${sep}`];

/**
 * The `file:line` of the user code running a decorator, read from the stack once at decoration time,
 * so that route conflicts and `serv routes` can say where a route was declared.
 */
export function declaredAt(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(2) ?? [];
  for (const frame of stack) {
    const m = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):\d+\)?\s*$/.exec(frame);
    if (m === null || m[1].startsWith('node:') || INTERNAL.some((p) => m[1].includes(p))) continue;
    const cwd = process.cwd() + sep;
    return `${m[1].startsWith(cwd) ? m[1].slice(cwd.length) : m[1]}:${m[2]}`;
  }
  return undefined;
}
