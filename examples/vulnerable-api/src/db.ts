// Database handles shared by the routes: a pg pool for hand-written SQL and the
// Prisma client for everything else.
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 5_000,
});

export const prisma = new PrismaClient();
