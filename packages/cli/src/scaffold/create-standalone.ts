import { basename, join, relative, resolve } from 'node:path';
import { parseServConfig } from '@serv/core';
import type { ParsedCommand } from '../args/command-spec';
import { typescriptVersion } from '../loader/transpile';
import { cliVersion } from '../version';
import { applyPlan } from './file-plan';
import { appConfigTemplate } from './templates';
import {
  STANDALONE_GITIGNORE,
  STANDALONE_TSCONFIG,
  standalonePackageJson,
  STARTER_EXTENSION_YAML,
  STARTER_MAIN_TS,
  STARTER_TEST_TS,
} from './standalone-templates';

/**
 * `serv create app --standalone DIR`: a project that lives outside any Serv checkout — package.json (scripts start,
 * dev, typecheck, test), tsconfig.json, serv.config.yaml, a starter extension and a node:test file. It installs
 * nothing; it prints the commands to run next.
 */
export function createStandaloneApp(parsed: ParsedCommand, dirFlag: string): number {
  const root = resolve(process.cwd(), dirFlag);
  const packageName = basename(root).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'serv-app';
  const siteName = (parsed.flags.name as string | undefined) ?? basename(root);
  const config = appConfigTemplate({ name: siteName, description: 'A new website powered by Serv' }).replace('extensions: []', 'extensions:\n  - app');
  parseServConfig(config, join(root, 'serv.config.yaml'), {});
  const versions = { serv: cliVersion(), typescript: typescriptVersion(), nodeMajor: process.versions.node.split('.')[0] ?? '20' };
  const code = applyPlan(
    [
      { path: join(root, 'package.json'), text: standalonePackageJson(packageName, versions), mode: 'new' },
      { path: join(root, 'tsconfig.json'), text: STANDALONE_TSCONFIG, mode: 'new' },
      { path: join(root, '.gitignore'), text: STANDALONE_GITIGNORE, mode: 'if-missing' },
      { path: join(root, 'serv.config.yaml'), text: config, mode: 'new' },
      { path: join(root, 'extensions', 'app', 'extension.yaml'), text: STARTER_EXTENSION_YAML, mode: 'new' },
      { path: join(root, 'extensions', 'app', 'main.ts'), text: STARTER_MAIN_TS, mode: 'new' },
      { path: join(root, 'test', 'app.test.ts'), text: STARTER_TEST_TS, mode: 'new' },
    ],
    { force: parsed.flags.force === true },
  );
  if (code !== 0) return code;
  const where = relative(process.cwd(), root) || '.';
  process.stdout.write(`
Next:
  cd ${where}
  npm install          # @serv/* from the npm registry; until they are published, install the tarballs instead:
                       #   npm install /path/to/serv-core-${versions.serv}.tgz /path/to/serv-websocket-${versions.serv}.tgz /path/to/serv-cli-${versions.serv}.tgz
                       #   ("npm run pack" in a Serv checkout writes them; see docs/install.md)
  npm run dev          # serve on http://127.0.0.1:8000 (WebSocket: ws://127.0.0.1:8000/ws/echo), type-check, reload on save
  npm test             # node:test over real sockets
  npm run typecheck    # serv check
`);
  return 0;
}
