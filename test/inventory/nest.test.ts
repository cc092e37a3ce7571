// Nest: the global prefix, controller paths, passport and hand-written guards, a
// feature-flag guard that is no authentication, ThrottlerGuard as APP_GUARD and
// @SkipThrottle, TypeORM queries and fetch calls one level down in the service.
import * as assert from 'node:assert/strict';
import { endpointsOf, find, summary, where } from './support';

describe('inventory: nest', () => {
  it('lists each controller method under the global and controller prefixes', () => {
    const endpoints = endpointsOf('nest-app/src/users.controller.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'nest GET /api/users', registrationLine: 10, handlerLine: 11, authentication: 'warn', validation: 'na', rateLimiting: 'ok', errorHandling: 'ok', pagination: 'warn', timeouts: 'na' },
        { route: 'nest GET /api/users/page/:n', registrationLine: 15, handlerLine: 17, authentication: 'ok', validation: 'ok', rateLimiting: 'ok', errorHandling: 'ok', pagination: 'ok', timeouts: 'na' },
        { route: 'nest POST /api/users', registrationLine: 21, handlerLine: 24, authentication: 'warn', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'na' },
        { route: 'nest GET /api/admin/avatars/:id', registrationLine: 34, handlerLine: 35, authentication: 'ok', validation: 'ok', rateLimiting: 'ok', errorHandling: 'ok', pagination: 'na', timeouts: 'ok' },
      ],
    );
  });

  it('recognises guards by what they extend or check, not by their names', () => {
    const endpoints = endpointsOf('nest-app/src/users.controller.ts');
    const page = find(endpoints, 'GET', '/api/users/page/:n');
    assert.equal(page.controls.authentication.note, 'Authenticated by `JwtAuthGuard` (@nestjs/passport)');
    assert.equal(where(page.controls.authentication.location), 'users.controller.ts:16');
    const avatar = find(endpoints, 'GET', '/api/admin/avatars/:id');
    assert.equal(avatar.controls.authentication.note, 'Authenticated by `RolesGuard`, which checks `request.user` and lets the request through only then');
    assert.equal(where(avatar.controls.authentication.location), 'users.controller.ts:30');
    // FeatureFlagGuard guards the route but never asks who is calling.
    assert.equal(find(endpoints, 'POST', '/api/users').controls.authentication.state, 'warn');
  });

  it('takes throttling from the global guard unless the route skips it', () => {
    const endpoints = endpointsOf('nest-app/src/users.controller.ts');
    const list = find(endpoints, 'GET', '/api/users');
    assert.equal(list.controls.rateLimiting.note, 'Rate limited by `ThrottlerGuard` (@nestjs/throttler), as a global guard');
    assert.equal(where(list.controls.rateLimiting.location), 'app.module.ts:10');
    const create = find(endpoints, 'POST', '/api/users');
    assert.equal(create.controls.rateLimiting.note, 'Throttling is switched off here by `@SkipThrottle()`');
    assert.equal(where(create.controls.rateLimiting.location), 'users.controller.ts:23');
  });

  it('looks one level into the service for list queries and outgoing calls', () => {
    const endpoints = endpointsOf('nest-app/src/users.controller.ts');
    const list = find(endpoints, 'GET', '/api/users');
    assert.equal(list.controls.pagination.note, '`this.dataSource.getRepository(User).find` returns every matching row: bound it with `take`');
    assert.equal(where(list.controls.pagination.location), 'users.service.ts:10');
    assert.equal(find(endpoints, 'GET', '/api/admin/avatars/:id').controls.timeouts.note, 'Every outgoing call has a timeout (1)');
  });
});
