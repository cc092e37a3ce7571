// Express: routes of an app and of a router mounted from another file, prefixes from
// `app.use('/api/v1', api)`, passport and a local JWT middleware as authentication, a
// look-alike that checks nothing, a path-scoped app limiter, knex lists and axios calls.
import * as assert from 'node:assert/strict';
import { endpointsOf, find, summary, where } from './support';

describe('inventory: express', () => {
  it('lists the routes an app file registers, with prefixes, skipping middleware and error handlers', () => {
    const endpoints = endpointsOf('express-app/src/app.ts');
    assert.deepEqual(
      endpoints.map((e) => `${e.method} ${e.path}`),
      ['GET /health', 'GET /api/v1/status', 'POST /api/v1/reports'],
    );
  });

  it('takes auth from a router-level use registered before the route, and only then', () => {
    const endpoints = endpointsOf('express-app/src/app.ts');
    const reports = find(endpoints, 'POST', '/api/v1/reports');
    assert.deepEqual(summary(reports), {
      route: 'express POST /api/v1/reports',
      registrationLine: 19,
      handlerLine: 19,
      authentication: 'ok',
      validation: 'ok',
      rateLimiting: 'ok',
      errorHandling: 'ok',
      pagination: 'na',
      timeouts: 'na',
    });
    assert.equal(reports.controls.authentication.note, "Authenticated by `passport.authenticate('jwt', { session: false })` (passport)");
    assert.equal(where(reports.controls.authentication.location), 'app.ts:18');
    assert.equal(reports.controls.validation.note, 'Input read: body');
    // The app's limiter is mounted on /api, which covers /api/v1.
    assert.equal(where(reports.controls.rateLimiting.location), 'app.ts:13');

    // Registered before `api.use(passport…)`: passport does not run for it.
    const status = find(endpoints, 'GET', '/api/v1/status');
    assert.equal(status.controls.authentication.state, 'warn');
    assert.equal(status.controls.authentication.note, 'No authentication found — public by design?');
    assert.equal(status.controls.rateLimiting.state, 'ok');
  });

  it('leaves a route outside the limiter’s path unprotected', () => {
    const health = find(endpointsOf('express-app/src/app.ts'), 'GET', '/health');
    assert.deepEqual(summary(health), {
      route: 'express GET /health',
      registrationLine: 9,
      handlerLine: 9,
      authentication: 'warn',
      validation: 'na',
      rateLimiting: 'warn',
      errorHandling: 'ok',
      pagination: 'na',
      timeouts: 'na',
    });
    assert.equal(health.controls.rateLimiting.note, 'No rate limiter found');
    assert.equal(health.controls.validation.note, 'Reads no request input');
  });

  it('applies the prefix of a router mounted in another file, and its route-level middleware', () => {
    const endpoints = endpointsOf('express-app/src/users.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'express GET /users', registrationLine: 9, handlerLine: 9, authentication: 'warn', validation: 'na', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'warn', timeouts: 'na' },
        { route: 'express GET /users/:id', registrationLine: 14, handlerLine: 14, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'warn' },
        { route: 'express PUT /users/:id/avatar', registrationLine: 19, handlerLine: 19, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'ok', timeouts: 'ok' },
        // `requireLogin` is named like auth but checks nothing: not evidence.
        { route: 'express DELETE /users/:id', registrationLine: 25, handlerLine: 25, authentication: 'warn', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'na' },
      ],
    );
  });

  it('follows a local middleware one level to the package that verifies the token', () => {
    const byId = find(endpointsOf('express-app/src/users.ts'), 'GET', '/users/:id');
    assert.equal(byId.controls.authentication.note, 'Authenticated by `requireAuth`, which calls `jwt.verify` (jsonwebtoken)');
    assert.equal(where(byId.controls.authentication.location), 'users.ts:14');
    assert.equal(byId.controls.validation.note, 'Input read: params');
  });

  it('names the unbounded list query and the call without a timeout', () => {
    const endpoints = endpointsOf('express-app/src/users.ts');
    const list = find(endpoints, 'GET', '/users');
    assert.equal(list.controls.pagination.note, '`db.select` returns every matching row: bound it with `.limit()`');
    assert.equal(where(list.controls.pagination.location), 'users.ts:10');
    const byId = find(endpoints, 'GET', '/users/:id');
    assert.equal(byId.controls.timeouts.note, '`axios.get` has no timeout');
    assert.equal(where(byId.controls.timeouts.location), 'users.ts:15');
    const avatar = find(endpoints, 'PUT', '/users/:id/avatar');
    assert.equal(avatar.controls.timeouts.note, 'Every outgoing call has a timeout (1)');
    assert.equal(avatar.controls.pagination.note, "Every list query is bounded (`db('avatars').select`)");
  });

  it('finds nothing in a file that registers no route', () => {
    assert.deepEqual(endpointsOf('express-app/src/db.ts'), []);
    assert.deepEqual(endpointsOf('express-app/src/auth.ts'), []);
  });
});
