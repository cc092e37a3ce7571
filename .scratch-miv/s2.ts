import express from 'express';
import mongoose from 'mongoose';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
const User = mongoose.model('User', new mongoose.Schema({ email: String }));

app.post('/a', async (req, res) => { res.json(await User.create({ ...req.body })); });
app.get('/b', async (req, res) => { res.json(await User.find(req.query)); });
app.get('/c', async (req, res) => { const r = await pool.query('select * from t where name = $1', [req.query.name]); res.json(r.rows); });
app.post('/d', express.raw({ type: 'application/json' }), (req, res) => {
  const sig = req.headers['stripe-signature'];
  const ok = verify(req.body, String(sig));
  res.json({ ok });
});
function verify(payload: Buffer | string, sig: string): boolean { return payload.length > 0 && sig.length > 0; }
app.get('/e', async (req, res) => {
  const page = parseInt(String(req.query.page ?? '1'), 10);
  if (Number.isNaN(page) || page < 1) return res.status(400).end();
  res.json(await pool.query('select * from t limit 20 offset $1', [(page - 1) * 20]));
});
app.post('/f', async (req, res) => {
  const { name, tags = [] } = req.body as { name: string; tags?: string[] };
  await pool.query('insert into t(name, tags) values ($1, $2)', [name, tags]);
  res.end();
});
