// User routes, written the quick way: SQL built from the request, request fields
// used as they come, a lookup on an unindexed column.
import { Router } from 'express';
import { pool } from '../db';
import { findUsersByEmail } from '../services/user-service';

export const users = Router();

// Search by name: the query string is pasted into the SQL text.
users.get('/users/search', async (req, res) => {
  const name = req.query.name;
  const { rows } = await pool.query(`SELECT id, email, name FROM users WHERE name ILIKE '%${name}%' ORDER BY name`);
  res.json(rows);
});

// Sign-up: whatever the client sent goes straight into the database.
users.post('/users', async (req, res) => {
  const { email, name, plan } = req.body;
  const { rows } = await pool.query('INSERT INTO users (email, name, plan) VALUES ($1, $2, $3) RETURNING id', [email, name, plan]);
  res.status(201).json(rows[0]);
});

// Admin listing, sorted by a column the caller picks.
users.get('/admin/users', async (req, res) => {
  const sort = req.query.sort as string;
  const { rows } = await pool.query('SELECT id, email, plan FROM users ORDER BY ' + sort);
  res.json(rows);
});

users.get('/users/by-email', async (req, res) => {
  res.json(await findUsersByEmail(String(req.query.email)));
});
