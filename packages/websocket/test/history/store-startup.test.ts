import { createApp, Logger, parseServConfig } from '@serv/core';
import '@serv/websocket';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

// A process where `require(pkg)` fails the way it does when the package is not installed (the test machine has it,
// so resolution is made to fail for that one name), starting an app configured for that store.
function scriptWithout(pkg: string, store: string, then = "console.log('started')"): string {
  return `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === ${JSON.stringify(pkg)}) {
    const error = new Error("Cannot find module '${pkg}'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
require('reflect-metadata');
const { createApp, Logger } = require('@serv/core');
require('@serv/websocket');
const { Rooms } = require('@serv/websocket');
const app = createApp({ logger: new Logger('t', 'silent'), settings: ${store === '' ? '{}' : `{ store: ${store} }`} });
app.start().then(
  async () => { ${then}; return app.close(); },
  (error) => { console.log(error.cause ? error.cause.code + ' ' + error.cause.message : error.message); },
);`;
}

async function run(script: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out: out.trim() };
}

describe('message store startup errors', () => {
  it('names the setting and the package when better-sqlite3 is not installed', async () => {
    expect(await run(scriptWithout('better-sqlite3', "{ kind: 'sqlite', path: '/nonexistent/never-created.db' }"))).toEqual({
      code: 0,
      out: 'SERV_ROOMS_STORE settings.store.kind is "sqlite", which needs the better-sqlite3 package; install it next to @serv/websocket (npm install better-sqlite3@12)',
    });
  });

  it('starts without better-sqlite3 when settings.store is not set, and the first publish names the setting and the package', async () => {
    const publish = "await app.container.resolve(Rooms).publish('r', 1).then(() => console.log('published'), (e) => console.log(e.code + ' ' + e.message))";
    expect(await run(scriptWithout('better-sqlite3', '', publish))).toEqual({
      code: 0,
      out: 'SERV_ROOMS_STORE settings.store is not set, so history goes to the default { kind: sqlite }, which needs the better-sqlite3 package; install it next to @serv/websocket (npm install better-sqlite3@12)',
    });
  });

  it('names the setting and the package when pg is not installed', async () => {
    expect(await run(scriptWithout('pg', "{ kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', prefix: 'serv_' }"))).toEqual({
      code: 0,
      out: 'SERV_ROOMS_STORE settings.store.kind is "postgres", which needs the pg package; install it next to @serv/websocket (npm install pg)',
    });
  });

  it('fails startup when PostgreSQL cannot be reached, naming settings.store.url', async () => {
    const app = createApp({ logger: new Logger('t', 'silent'), settings: { store: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test', prefix: 'serv_' } } });
    await expect(app.start()).rejects.toThrow(
      /settings\.store\.url: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test \(.*ECONNREFUSED.*\); start PostgreSQL there or point the URL at it$/,
    );
    await app.close();
  });

  it('refuses a memory store with the Redis broker', async () => {
    const app = createApp({ logger: new Logger('t', 'silent'), settings: { store: { kind: 'memory' }, broker: { kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'x:' } } });
    await expect(app.start()).rejects.toThrow(
      'settings.store.kind is "memory", which keeps offsets and history in one process, but settings.broker.kind is "redis"; use { kind: sqlite } (one machine) or { kind: postgres, url } (several)',
    );
    await app.close();
  });

  it('checks settings.store when serv.config.yaml is read, and resolves the SQLite path against its folder', () => {
    const read = (yaml: string) => parseServConfig(yaml, '/srv/app/serv.config.yaml', {});
    expect(read('settings:\n  store: { kind: sqlite }').settings.store).toEqual({ kind: 'sqlite', path: '/srv/app/data/serv.db' });
    expect(read('settings: {}').settings.store).toEqual({ kind: 'sqlite', path: '/srv/app/data/serv.db' });
    expect(() => read('settings:\n  store: { kind: mysql }')).toThrow('serv.config.yaml: settings.store.kind must be "sqlite", "postgres" or "memory", got "mysql"');
    expect(() => read('settings:\n  store: { kind: postgres, url: "127.0.0.1:5432" }')).toThrow(
      'serv.config.yaml: settings.store.url must be a URL like "postgres://user@127.0.0.1:5432/app", got "127.0.0.1:5432"',
    );
    expect(() => read('settings:\n  store: { kind: postgres, url: "postgres://h/db", prefix: "Serv-" }')).toThrow(
      'serv.config.yaml: settings.store.prefix must be lower-case letters, digits and _ (a table name prefix such as "serv_"), got "Serv-"',
    );
  });
});
