import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
function parsePage(raw: unknown): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error('bad page');
  return n;
}
function shout(s: string): string { return s.toUpperCase(); }
app.get('/a', async (req, res) => {
  const page = parsePage(req.query.page);
  res.json((await pool.query('select * from t limit 20 offset $1', [(page - 1) * 20])).rows);
});
app.get('/b', (req, res) => { res.send(shout(String(req.query.word))); });
