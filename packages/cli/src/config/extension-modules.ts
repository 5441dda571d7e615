import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExtensionSpec, ImportRef } from '@serv/core';

// The files Node (with the TypeScript loader) would try for a module name, in order.
const CANDIDATES = ['', '.ts', '.js', '/index.ts', '/index.js'];

/**
 * Problems with the modules an extension.yaml references, without importing them: one message per reference whose
 * module file does not exist, naming the file, the key path and the files looked for.
 */
export function missingModules(spec: ExtensionSpec): string[] {
  const refs: ImportRef[] = [
    ...spec.listeners,
    ...spec.middleware,
    ...spec.routers.flatMap((router) => router.routes.map((route) => route.handler)),
  ];
  const problems: string[] = [];
  for (const ref of refs) {
    const base = join(spec.dir, ref.module);
    if (CANDIDATES.some((suffix) => existsSync(base + suffix) && (suffix !== '' || /\.[cm]?[jt]s$/.test(base)))) continue;
    const shownFile = relative(process.cwd(), ref.file) || ref.file;
    const shownDir = relative(process.cwd(), spec.dir) || '.';
    problems.push(`${shownFile}: ${ref.keyPath} names module "${ref.module}", but neither ${ref.module}.ts nor ${ref.module}.js exists in ${shownDir}`);
  }
  return problems;
}
