// What the inventory learns from the rest of the program: an app-wide limiter covers the
// routes of routers mounted on that app, but not another package's; a middleware factory is
// followed into the function it returns; a check of some other object's `user` is not auth.
import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';
import { removeProject, tempProject } from '../engine/temp-project';
import { find, summary, where } from './support';

describe('inventory: program-wide facts', () => {
  let root: string;
  let ws: Workspace;
  before(() => {
    root = tempProject({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '^5.1.0', 'express-rate-limit': '^8.0.0' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', esModuleInterop: true, skipLibCheck: true, noEmit: true }, include: ['**/*.ts'] }),
      'src/server.ts': [
        "import express from 'express';",
        "import rateLimit from 'express-rate-limit';",
        "import { api } from './routes';",
        'const app = express();',
        'app.use(rateLimit({ limit: 100 }));',
        "app.use('/api', api);",
        '',
      ].join('\n'),
      'src/auth.ts': [
        "import type { NextFunction, Request, Response } from 'express';",
        'export function requireRole(role: string) {',
        '  return (req: Request, res: Response, next: NextFunction) => {',
        '    const user = (req as { user?: { role: string } }).user;',
        '    if (user?.role !== role) return res.status(403).end();',
        '    next();',
        '  };',
        '}',
        'async function loadAccount() {',
        '  return { user: undefined as string | undefined };',
        '}',
        'export async function checkQuota(_req: Request, res: Response, next: NextFunction) {',
        '  const account = await loadAccount();',
        '  if (account.user === undefined) return res.status(403).end();',
        '  next();',
        '}',
        'export function requireApiKey(req: Request, res: Response, next: NextFunction) {',
        "  if (req.get('x-api-key') !== process.env.API_KEY) return res.sendStatus(401);",
        '  next();',
        '}',
        '',
      ].join('\n'),
      'src/routes.ts': [
        "import { Router } from 'express';",
        "import { checkQuota, requireApiKey, requireRole } from './auth';",
        'export const api = Router();',
        "api.get('/items', (_req, res) => {",
        '  res.json([]);',
        '});',
        "api.delete('/items/:id', requireRole('admin'), (req, res) => {",
        '  res.json({ deleted: req.params.id });',
        '});',
        "api.post('/items', checkQuota, (req, res) => {",
        '  res.json(req.body);',
        '});',
        "api.put('/items/:id', requireApiKey, (req, res) => {",
        '  res.json(req.body);',
        '});',
        '',
      ].join('\n'),
      'admin/package.json': JSON.stringify({ name: 'admin', dependencies: { express: '^5.1.0' } }),
      'admin/index.ts': ["import express from 'express';", 'const app = express();', "app.get('/stats', (_req, res) => {", '  res.json({});', '});', ''].join('\n'),
    });
    ws = new Workspace({ roots: [root], rules: [] });
  });
  after(() => {
    ws.dispose();
    removeProject(root);
  });

  const endpoints = (rel: string) => {
    const r = ws.analyzeFile(`${root}/${rel}`, { inventory: true });
    assert.deepEqual(r.ruleFailures, []);
    return r.endpoints ?? [];
  };

  it('covers every route of the app with an app-level limiter written in another file', () => {
    const list = endpoints('src/routes.ts');
    assert.deepEqual(list.map((e) => `${e.method} ${e.path} ${e.controls.rateLimiting.state}`), ['GET /api/items ok', 'DELETE /api/items/:id ok', 'POST /api/items ok', 'PUT /api/items/:id ok']);
    const items = find(list, 'GET', '/api/items');
    assert.equal(where(items.controls.rateLimiting.location), 'server.ts:5');
    assert.equal(items.controls.rateLimiting.note, 'Rate limited by `rateLimit({ limit: 100 })` (express-rate-limit)');
  });

  it('does not lend the limiter to another package of the repository', () => {
    const [stats] = endpoints('admin/index.ts');
    assert.deepEqual(summary(stats), {
      route: 'express GET /stats',
      registrationLine: 3,
      handlerLine: 3,
      authentication: 'warn',
      validation: 'na',
      rateLimiting: 'warn',
      errorHandling: 'ok',
      pagination: 'na',
      timeouts: 'na',
    });
  });

  it('follows a middleware factory into the function it returns', () => {
    const del = find(endpoints('src/routes.ts'), 'DELETE', '/api/items/:id');
    assert.equal(del.controls.authentication.state, 'ok');
    assert.equal(del.controls.authentication.note, "Authenticated by `requireRole('admin')`, which checks `(req as { user?: { role: string } }).user` and answers 401/403");
    assert.equal(where(del.controls.authentication.location), 'routes.ts:7');
  });

  it('counts an API-key check answered with 401', () => {
    const put = find(endpoints('src/routes.ts'), 'PUT', '/api/items/:id');
    assert.equal(put.controls.authentication.note, "Authenticated by `requireApiKey`, which checks `req.get('x-api-key')` and answers 401/403");
  });

  it('does not take a 403 on some other object’s `user` for authentication', () => {
    const post = find(endpoints('src/routes.ts'), 'POST', '/api/items');
    assert.equal(post.controls.authentication.state, 'warn');
  });
});
