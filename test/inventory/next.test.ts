// Next: app-router route files (exported GET/DELETE, `[id]` → `:id`) and a pages-router
// API route, next-auth sessions checked in the handler, Prisma lists and fetch.
import * as assert from 'node:assert/strict';
import { endpointsOf, find, summary, where } from './support';

describe('inventory: next', () => {
  it('lists an app-router file’s exported handlers under the path of its folder', () => {
    const endpoints = endpointsOf('next-app/app/api/orders/[id]/route.ts');
    assert.deepEqual(
      endpoints.map((e) => summary(e)),
      [
        { route: 'next GET /api/orders/:id', registrationLine: 4, handlerLine: 4, authentication: 'ok', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'warn', timeouts: 'na' },
        { route: 'next DELETE /api/orders/:id', registrationLine: 12, handlerLine: 12, authentication: 'warn', validation: 'ok', rateLimiting: 'warn', errorHandling: 'ok', pagination: 'na', timeouts: 'warn' },
      ],
    );
  });

  it('counts a session check inside the handler as authentication', () => {
    const endpoints = endpointsOf('next-app/app/api/orders/[id]/route.ts');
    const get = find(endpoints, 'GET', '/api/orders/:id');
    assert.equal(get.controls.authentication.note, 'The handler calls `getServerSession` (next-auth)');
    assert.equal(where(get.controls.authentication.location), 'route.ts:5');
    assert.equal(get.controls.validation.note, 'Input read: params');
    assert.equal(get.controls.pagination.note, '`prisma.orderItem.findMany` returns every matching row: bound it with `take`');
    const del = find(endpoints, 'DELETE', '/api/orders/:id');
    assert.equal(del.controls.validation.note, 'Input read: query');
    assert.equal(where(del.controls.timeouts.location), 'route.ts:14');
  });

  it('lists a pages-router API route for every method, at its file’s path', () => {
    const [users, ...rest] = endpointsOf('next-app/pages/api/users/index.ts');
    assert.deepEqual(rest, []);
    assert.deepEqual(summary(users), {
      route: 'next ALL /api/users',
      registrationLine: 4,
      handlerLine: 4,
      authentication: 'warn',
      validation: 'ok',
      rateLimiting: 'warn',
      errorHandling: 'ok',
      pagination: 'ok',
      timeouts: 'na',
    });
    assert.equal(users.controls.validation.note, 'Input read: query');
  });
});
