'use strict';
/**
 * Baseline HTTP server on fastify, set up the way fastify's own benchmarks are (logger off, a response schema so
 * fast-json-stringify serialises): `GET /users/:id` answers `{"id":N,"name":"user-N"}`. With `--logger`, fastify's
 * logger is on at its defaults (pino JSON on stdout, a line when a request arrives and one when it is answered), for
 * reference beside Serv, which logs a line per request by default. With `--extra-routes=N`, N more parameterised routes
 * (`/items0/:id` …) are declared before it, as in an app with many routes.
 * Prints `Bench listening on http://HOST:PORT`.
 */

const Fastify = require('fastify');

const app = Fastify({ logger: process.argv.includes('--logger') });
const schema = {
  response: {
    200: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
  },
};
const extraArg = process.argv.find((arg) => arg.startsWith('--extra-routes='));
const extraRoutes = extraArg === undefined ? 0 : Number(extraArg.slice('--extra-routes='.length));
if (!Number.isSafeInteger(extraRoutes) || extraRoutes < 0) throw new Error(`${extraArg}: give a whole number of routes, e.g. --extra-routes=100`);
for (let i = 0; i < extraRoutes; i++) {
  app.get(`/items${i}/:id`, { schema }, async (request) => ({ id: Number(request.params.id), name: `item-${i}` }));
}
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
