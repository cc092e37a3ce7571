import express from 'express';
const app = express();
declare function save(name: string, age: number, admin: boolean, tags: string[]): void;
app.get('/search', (req, res) => res.json({ q: String(req.query.q).trim(), page: Number(req.query.page) || 1 }));
app.post('/people', async (req, res): Promise<void> => {
  save(req.body.name, req.body.age, req.body.admin, req.body.tags);
  res.status(201).end();
});
