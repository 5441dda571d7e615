'use strict';
/**
 * Baseline HTTP server on fastify, set up the way fastify's own benchmarks are (logger off, a response schema so
 * fast-json-stringify serialises): `GET /users/:id` answers `{"id":N,"name":"user-N"}`.
 * Prints `Bench listening on http://HOST:PORT`.
 */

const Fastify = require('fastify');

const app = Fastify({ logger: false });
const schema = {
  response: {
    200: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
  },
};
app.get('/users/:id', { schema }, async (request) => {
  const id = Number(request.params.id);
  return { id, name: `user-${id}` };
});
app.listen({ host: '127.0.0.1', port: 0 }).then(() => {
  console.log(`Bench listening on http://127.0.0.1:${app.server.address().port}`);
});
process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
