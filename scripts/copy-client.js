'use strict';
// Part of `npm run build`: @serv/websocket/client is plain JavaScript (an ES module a page loads without a bundler),
// so tsc does not emit it; it is copied next to the compiled package, where the package's exports point.
const { copyFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const from = join(__dirname, '..', 'packages', 'websocket', 'src', 'client');
const to = join(__dirname, '..', 'packages', 'websocket', 'dist', 'client');
mkdirSync(to, { recursive: true });
for (const file of ['serv-client.mjs', 'serv-client.d.mts']) copyFileSync(join(from, file), join(to, file));
