// Route paths: joining prefixes, path-scoped middleware, Next file-system routes.
import * as assert from 'node:assert/strict';
import type { RuleContext } from '../../rules/api';
import { DYNAMIC_PATH, joinPaths, nextRoutePath, pathCovers } from '../../rules/inventory/route-path';

describe('inventory: route paths', () => {
  it('joins prefixes without doubled or missing slashes', () => {
    assert.equal(joinPaths('/api', 'v1/', '/users', ':id'), '/api/v1/users/:id');
    assert.equal(joinPaths('', '/'), '/');
    assert.equal(joinPaths('/users', '/'), '/users');
    assert.equal(joinPaths('/api', undefined), DYNAMIC_PATH);
    assert.equal(joinPaths(DYNAMIC_PATH, '/x'), DYNAMIC_PATH);
  });

  it('scopes a middleware mounted at a path to the routes under it', () => {
    assert.equal(pathCovers(undefined, '/anything'), true);
    assert.equal(pathCovers('/', '/anything'), true);
    assert.equal(pathCovers('/api', '/api'), true);
    assert.equal(pathCovers('/api', '/api/v1/users'), true);
    assert.equal(pathCovers('/api', '/apis'), false);
    assert.equal(pathCovers('/admin', '/users'), false);
    assert.equal(pathCovers('/api', DYNAMIC_PATH), false);
  });

  it('turns Next route files into URL paths', () => {
    const ctx = {
      project: { root: '/repo', packageJson: () => ({ path: '/repo/web/package.json' }) },
    } as unknown as RuleContext;
    assert.equal(nextRoutePath(ctx, '/repo/web/app/api/orders/[id]/route.ts'), '/api/orders/:id');
    assert.equal(nextRoutePath(ctx, '/repo/web/src/app/(shop)/cart/[...items]/route.ts'), '/cart/:items*');
    assert.equal(nextRoutePath(ctx, '/repo/web/app/@modal/docs/[[...slug]]/route.js'), '/docs/:slug*');
    assert.equal(nextRoutePath(ctx, '/repo/web/pages/api/users/index.ts'), '/api/users');
    assert.equal(nextRoutePath(ctx, '/repo/web/pages/api/users/[id].ts'), '/api/users/:id');
    assert.equal(nextRoutePath(ctx, '/repo/web/lib/route.ts'), undefined);
  });
});
