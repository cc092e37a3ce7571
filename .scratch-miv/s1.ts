import express, { type Request, type Response } from 'express';
import Stripe from 'stripe';
const app = express();
const router = express.Router();
declare const db: { insert(x: object): Promise<void>; find(x: object): Promise<unknown[]> };
declare function asyncHandler(fn: express.RequestHandler): express.RequestHandler;

// 1: req.body spread into library call -> report
app.post('/a', async (req, res) => { await db.insert({ ...req.body }); res.end(); });
// 2: query used as filter object -> report
app.get('/b', async (req, res) => { res.json(await db.find(req.query)); });
// 3: only presence check -> still report
app.post('/c', async (req, res) => {
  const { email } = req.body;
  if (!email) return res.status(400).end();
  await db.insert({ email });
  res.end();
});
// 4: params only -> silent by default
app.get('/d/:id', async (req, res) => { res.json(await db.find({ id: req.params.id })); });
// 5: wrapper asyncHandler -> report
router.post('/e', asyncHandler(async (req, res) => { await db.insert({ name: req.body.name }); res.end(); }));
// 6: echo only via res.json - whole
app.post('/f', (req, res) => { res.json(req.body); });
// 7: Object.keys check only -> silent
app.post('/g', (req, res) => { if (Object.keys(req.body).length === 0) return res.status(400).end(); res.end(); });
// 8: allow-list
const SORTS = new Set(['asc', 'desc']);
app.get('/h', async (req, res) => { const sort = String(req.query.sort); if (!SORTS.has(sort)) return res.status(400).end(); res.json(await db.find({ sort })); });
// 9: zod safeParse result discarded -> report
import { z } from 'zod';
const S = z.object({ a: z.string() });
app.post('/i', async (req, res) => { S.safeParse(req.body); await db.insert({ a: req.body.a }); res.end(); });
// 10: nested req in callback
app.post('/j', async (req, res) => { await Promise.all([1, 2].map(async (n) => db.insert({ n, who: req.body.who }))); res.end(); });
// 11: middleware chain with validation middleware inline arrow
app.post('/k', (req, res, next) => { if (typeof req.body.q !== 'string') return res.status(400).end(); next(); }, async (req, res) => { await db.insert({ q: req.body.q }); res.end(); });
// 12: use middleware not checked
app.use((req, res, next) => { console.log(req.body.x); next(); });
// 13: error handler
app.use((err: Error, req: Request, res: Response, _next: express.NextFunction) => { res.status(500).json({ path: req.body.path }); });
