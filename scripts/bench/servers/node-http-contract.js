'use strict';
/**
 * Control for the HTTP benchmark: bare `node:http` (as node-http.js) plus only what api.md's Operations contract adds
 * to every response, with no framework around it. It shows the floor that contract sets under any framework on
 * `node:http`, measured with scripts/bench/callgrind-http.sh.
 *
 * - `--parts=header`: a generated request id, sent as `x-request-id` (flattened, as Serv sends it);
 * - `--parts=header,line` (the default): also one JSON request line per request, built as a string and written to
 *   stdout once per event-loop turn.
 *
 * Prints `Bench listening on http://HOST:PORT`.
 */

const http = require('node:http');
const { hostname } = require('node:os');
const { performance } = require('node:perf_hooks');

const USERS = /^\/users\/(\d+)$/;
const partsArg = process.argv.slice(2).find((arg) => arg.startsWith('--parts='));
const parts = new Set((partsArg === undefined ? 'header,line' : partsArg.slice('--parts='.length)).split(','));
for (const part of parts) {
  if (part !== 'header' && part !== 'line') throw new Error(`node-http-contract: unknown part "${part}" in --parts (use header or header,line)`);
}
if (!parts.has('header')) throw new Error('node-http-contract: --parts must include header (the request line carries its id)');
const withLine = parts.has('line');
const ID_PREFIX = 'q3Xk9Aw-';
const LINE_HEAD = `{"level":30,"time":`;
const LINE_ID = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"name":"serv","msg":"request","reqId":"`;
const CLIENT = Symbol('client');
let seq = 0;
let pending = '';
let flushQueued = false;

function flush() {
  flushQueued = false;
  const lines = pending;
  pending = '';
  process.stdout.write(lines);
}

const server = http.createServer((req, res) => {
  const startedAt = performance.now();
  const id = ID_PREFIX + ++seq;
  void id.charCodeAt(0);
  const match = req.method === 'GET' ? USERS.exec(req.url) : null;
  if (!match) {
    res.writeHead(404, { 'x-request-id': id, 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  const userId = Number(match[1]);
  const body = JSON.stringify({ id: userId, name: `user-${userId}` });
  const bytes = Buffer.byteLength(body);
  res.writeHead(200, { 'x-request-id': id, 'content-type': 'application/json; charset=utf-8', 'content-length': bytes });
  res.end(body);
  if (!withLine) return;
  const socket = req.socket;
  const client = socket[CLIENT] ?? (socket[CLIENT] = JSON.stringify(socket.remoteAddress));
  const durationMs = (performance.now() - startedAt).toFixed(3);
  pending += `${LINE_HEAD}${Date.now()}${LINE_ID}${id}","method":"GET","route":"/users/{id}","status":200,"path":${JSON.stringify(req.url)},"durationMs":${durationMs},"bytes":${bytes},"client":${client}}\n`;
  if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
});
server.listen(0, '127.0.0.1', () => {
  console.log(`Bench listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
