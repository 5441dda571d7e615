import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

// A process where `require('redis')` fails the way it does when the package is not installed (the test machine has
// it, so resolution is made to fail for that one name), starting an app configured for the Redis broker.
const SCRIPT = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'redis') {
    const error = new Error("Cannot find module 'redis'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
require('reflect-metadata');
const { createApp, Logger } = require('@serv/core');
require('@serv/websocket');
const app = createApp({ logger: new Logger('t', 'silent'), settings: { broker: { kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'x:' } } });
app.start().then(
  () => { console.log('started'); return app.close(); },
  (error) => { console.log(error.cause ? error.cause.code + ' ' + error.cause.message : error.message); },
);
`;

describe('the Redis broker without node-redis installed', () => {
  it('fails startup naming the setting and the package to install', async () => {
    const child = spawn(process.execPath, ['-e', SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect({ code, out: out.trim() }).toEqual({
      code: 0,
      out: 'SERV_ROOMS_BROKER settings.broker.kind is "redis", which needs the node-redis package; install it next to @serv/websocket (npm install redis)',
    });
  });
});
