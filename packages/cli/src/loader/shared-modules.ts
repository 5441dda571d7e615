import Module = require('node:module');
import { dirname } from 'node:path';

type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };

/**
 * Packages that user code must share with the CLI: decorators write metadata into registries held by these
 * modules, so a second copy (for example one in the app's own node_modules) would make handlers invisible.
 */
export const SHARED_PACKAGES: readonly string[] = ['@serv/core', '@serv/websocket', 'reflect-metadata', 'tsyringe'];

const pinned = new Map<string, string | null>();
let installed = false;
// True while sharedPackagePath resolves through Node itself, so the patched resolver does not recurse into it.
let resolvingShared = false;

/**
 * Where the CLI's own copy of a shared package lives, or null when the CLI cannot see it either.
 * Searched from this package and from @serv/core, which owns reflect-metadata and tsyringe.
 */
export function sharedPackagePath(name: string): string | null {
  let found = pinned.get(name);
  if (found !== undefined) return found;
  found = null;
  resolvingShared = true;
  try {
    const searchFrom = [__dirname];
    try {
      searchFrom.push(dirname(require.resolve('@serv/core')));
    } catch {
      // @serv/core missing is reported when the launcher imports it; here it only narrows the search.
    }
    try {
      found = require.resolve(name, { paths: searchFrom });
    } catch {
      found = null;
    }
  } finally {
    resolvingShared = false;
  }
  pinned.set(name, found);
  return found;
}

/**
 * Patches Node's resolver so that (1) the shared packages always resolve to the CLI's copies, even from an app
 * folder in /tmp with no node_modules, and (2) a relative `./x.js` import falls back to `./x.ts`, as TypeScript's
 * own resolution does. Idempotent.
 */
export function installSharedModuleResolution(): void {
  if (installed) return;
  installed = true;
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    if (!resolvingShared && SHARED_PACKAGES.includes(request)) {
      const shared = sharedPackagePath(request);
      if (shared !== null) return shared;
    }
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (error) {
      if (request.startsWith('.') && request.endsWith('.js')) {
        try {
          return original.call(this, `${request.slice(0, -3)}.ts`, parent, isMain, options);
        } catch {
          // Report the error for the name the user wrote, not for our guess.
        }
      }
      throw error;
    }
  };
}
