// The HTTP server.
import express from 'express';
import { purgeExpiredSessions } from './jobs/cleanup';
import { logger } from './logger';
import { orders } from './routes/orders';
import { payments } from './routes/payments';
import { users } from './routes/users';

const app = express();
app.use(express.json({ limit: '100kb' }));
app.use(users);
app.use(orders);
app.use(payments);

setInterval(() => void purgeExpiredSessions(), 60 * 60 * 1000).unref();

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => logger.info({ port }, 'listening'));
