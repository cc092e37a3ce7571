// Koa on @koa/router: a router prefix, a route-level limiter, koa-jwt for the routes
// registered after it, nested routers mounted with `router.use('/x', mw, child.routes())`,
// and a hand-written admin check (`ctx.state.user` answered with 403).
import * as assert from 'node:assert/strict';
import { endpointsOf, find, summary, where } from './support';

describe('inventory: koa', () => {
  it('lists the routes of routers known by their package, with the router prefix', () => {
    const endpoints = endpointsOf('koa-app/src/server.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'koa POST /api/login', registrationLine: 13, handlerLine: 13, authentication: 'warn', validation: 'ok', rateLimiting: 'ok', errorHandling: 'ok', pagination: 'na', timeouts: 'warn' },
        { route: 'koa GET /api/ops/health', registrationLine: 20, handlerLine: 20, authentication: 'ok', validation: 'na', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'na' },
        { route: 'koa GET /api/orders/:id', registrationLine: 27, handlerLine: 27, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'ok', timeouts: 'na' },
      ],
    );
  });

  it('tells which middleware protects which route', () => {
    const endpoints = endpointsOf('koa-app/src/server.ts');
    const login = find(endpoints, 'POST', '/api/login');
    assert.equal(login.controls.rateLimiting.note, 'Rate limited by `loginLimiter` (koa-ratelimit)');
    assert.equal(login.controls.validation.note, 'Input read: body');
    assert.equal(login.controls.timeouts.note, '`axios.post` has no timeout');
    // Mounted before koa-jwt: only the admin check runs for it.
    const health = find(endpoints, 'GET', '/api/ops/health');
    assert.equal(health.controls.authentication.note, 'Authenticated by `requireAdmin`, which checks `ctx.state.user` and answers 401/403');
    assert.equal(where(health.controls.authentication.location), 'server.ts:23');
    const order = find(endpoints, 'GET', '/api/orders/:id');
    assert.equal(order.controls.authentication.note, "Authenticated by `jwt({ secret: process.env.JWT_SECRET ?? '' })` (koa-jwt)");
    assert.equal(where(order.controls.authentication.location), 'server.ts:25');
  });

  it('reaches a router mounted from another file under both prefixes', () => {
    const [orders, ...rest] = endpointsOf('koa-app/src/admin.ts');
    assert.deepEqual(rest, []);
    assert.deepEqual(summary(orders), {
      route: 'koa GET /api/admin/orders',
      registrationLine: 11,
      handlerLine: 11,
      authentication: 'ok',
      validation: 'na',
      rateLimiting: 'warn',
      errorHandling: 'ok',
      pagination: 'warn',
      timeouts: 'na',
    });
    assert.equal(where(orders.controls.authentication.location), 'server.ts:25');
    assert.equal(orders.controls.pagination.note, '`Order.find` returns every matching row: bound it with `.limit()`');
  });
});
