#!/usr/bin/env node
'use strict';
/**
 * `npm run pack`: packs @serv/core, @serv/websocket and @serv/cli (already built) into tarballs that a project
 * outside this repository can `npm install` before the packages are published (see docs/install.md).
 * Usage: node scripts/pack.js [--out DIR]   (default DIR: packed/ at the repository root, git-ignored)
 */

const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync } = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
/** The published packages, in dependency order. */
const PACKAGES = ['core', 'websocket', 'cli'];

/** Packs every package into `outDir` and returns the absolute tarball paths, in PACKAGES order. */
function packAll(outDir) {
  mkdirSync(outDir, { recursive: true });
  return PACKAGES.map((name) => {
    const dir = path.join(REPO_ROOT, 'packages', name);
    if (!existsSync(path.join(dir, 'dist', 'index.js'))) throw new Error(`packages/${name}/dist is missing: run "npm run build" first`);
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    const [packed] = JSON.parse(output);
    return path.join(outDir, packed.filename);
  });
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = path.resolve(at === -1 ? path.join(REPO_ROOT, 'packed') : process.argv[at + 1] ?? '');
  try {
    const tarballs = packAll(outDir);
    process.stdout.write(`${tarballs.join('\n')}\n\nInstall them into a project with:\n  npm install ${tarballs.join(' ')}\n`);
  } catch (error) {
    process.stderr.write(`pack: ${error.message}\n`);
    process.exitCode = 1;
  }
}

module.exports = { packAll, PACKAGES };
