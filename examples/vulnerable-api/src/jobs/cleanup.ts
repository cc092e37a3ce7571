// Nightly maintenance.
import { pool } from '../db';
import { logger } from '../logger';

export async function purgeExpiredSessions(): Promise<void> {
  try {
    await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  } catch {}
}

export async function archiveOldOrders(): Promise<number> {
  try {
    const result = await pool.query("UPDATE orders SET archived = true WHERE created_at < now() - interval '1 year'");
    return result.rowCount ?? 0;
  } catch (err) {
    logger.error({ err }, 'archiving old orders failed');
    throw err;
  }
}
