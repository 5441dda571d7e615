import { dirname, join, sep } from 'node:path';

/**
 * Files of the user's app loaded so far: everything in require.cache except node_modules and the framework's own
 * packages (which may live outside node_modules in a monorepo). The `--reload` supervisor watches these.
 */
export function userSourceFiles(): string[] {
  const frameworkRoots = frameworkPackageRoots();
  return Object.keys(require.cache).filter(
    (file) => !file.includes(`${sep}node_modules${sep}`) && !frameworkRoots.some((root) => file.startsWith(root)),
  );
}

function frameworkPackageRoots(): string[] {
  const roots = [join(__dirname, '..', '..') + sep];
  for (const name of ['@serv/core', '@serv/websocket']) {
    try {
      roots.push(dirname(require.resolve(`${name}/package.json`)) + sep);
    } catch {
      // Not installed: nothing of it can be in require.cache either.
    }
  }
  return roots;
}
