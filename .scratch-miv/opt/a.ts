import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.get('/users/:id', async (req, res) => { res.json((await pool.query('select * from users where id = $1', [req.params.id])).rows); });
