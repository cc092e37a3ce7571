// Fastify: a plugin registered under a prefix with an onRequest hook, `route()` with
// several methods, route-level preHandler, and @fastify/rate-limit registered with
// `global: false` so only the route with `config.rateLimit` is limited.
import * as assert from 'node:assert/strict';
import { endpointsOf, find, summary, where } from './support';

describe('inventory: fastify', () => {
  it('lists the server’s routes with their route-level protections', () => {
    const endpoints = endpointsOf('fastify-app/src/server.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'fastify GET /ping', registrationLine: 12, handlerLine: 12, authentication: 'warn', validation: 'na', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'na' },
        { route: 'fastify POST /login', registrationLine: 14, handlerLine: 17, authentication: 'warn', validation: 'ok', rateLimiting: 'ok', errorHandling: 'ok', pagination: 'na', timeouts: 'ok' },
        { route: 'fastify GET /me', registrationLine: 24, handlerLine: 24, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'warn' },
        { route: 'fastify GET /orders/mine', registrationLine: 31, handlerLine: 31, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'na' },
      ],
    );
  });

  it('counts a preHandler that verifies a token, and an opted-in route limit', () => {
    const endpoints = endpointsOf('fastify-app/src/server.ts');
    const me = find(endpoints, 'GET', '/me');
    assert.equal(me.controls.authentication.note, 'Authenticated by `verifyToken`, which calls `jwt.verify` (jsonwebtoken)');
    assert.equal(me.controls.validation.note, 'Input read: headers');
    assert.equal(me.controls.timeouts.note, '`fetch` has no timeout');
    const login = find(endpoints, 'POST', '/login');
    assert.equal(login.controls.rateLimiting.note, 'Rate limited by the route’s `config.rateLimit` (@fastify/rate-limit)');
    assert.equal(where(login.controls.rateLimiting.location), 'server.ts:16');
  });

  it('follows a hook named by a decoration to the function it was decorated with', () => {
    const mine = find(endpointsOf('fastify-app/src/server.ts'), 'GET', '/orders/mine');
    assert.equal(mine.controls.authentication.note, 'Authenticated by `app.authenticate`, which calls `jwt.verify` (jsonwebtoken)');
    assert.equal(where(mine.controls.authentication.location), 'server.ts:31');
  });

  it('prefixes a registered plugin’s routes and applies its onRequest hook to them', () => {
    const endpoints = endpointsOf('fastify-app/src/admin.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'fastify GET /admin/orders', registrationLine: 9, handlerLine: 9, authentication: 'ok', validation: 'na', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'warn', timeouts: 'na' },
        { route: 'fastify GET /admin/orders/recent', registrationLine: 13, handlerLine: 16, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'ok', timeouts: 'na' },
        { route: 'fastify HEAD /admin/orders/recent', registrationLine: 13, handlerLine: 16, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'ok', timeouts: 'na' },
      ],
    );
    const orders = find(endpoints, 'GET', '/admin/orders');
    assert.equal(where(orders.controls.authentication.location), 'admin.ts:7');
    assert.equal(orders.controls.pagination.note, '`Order.findAll` returns every matching row: bound it with `limit`');
    assert.equal(where(orders.controls.pagination.location), 'admin.ts:10');
  });
});
