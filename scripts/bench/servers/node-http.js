'use strict';
/**
 * Baseline HTTP server on bare `node:http`: `GET /users/{id}` answers `{"id":N,"name":"user-N"}`, anything else 404.
 * Prints `Bench listening on http://HOST:PORT`.
 */

const http = require('node:http');

const USERS = /^\/users\/(\d+)$/;

const server = http.createServer((req, res) => {
  const match = req.method === 'GET' ? USERS.exec(req.url) : null;
  if (!match) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  const id = Number(match[1]);
  const body = JSON.stringify({ id, name: `user-${id}` });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`Bench listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
