// Calls to the payment provider and the fraud-score service.
import axios from 'axios';
import { logger } from '../logger';

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://payments.example.com';
const FRAUD_URL = process.env.FRAUD_URL ?? 'https://fraud.example.com';

export interface Charge {
  readonly id: string;
  readonly status: 'succeeded' | 'failed';
}

// No timeout and no handling: a slow provider holds the request (and its socket) forever.
export async function chargeCard(userId: number, amountCents: number): Promise<Charge> {
  const { data } = await axios.post<Charge>(`${PAYMENTS_URL}/v1/charges`, { customer: userId, amount: amountCents });
  return data;
}

// The same with fetch: no signal, and a network failure rejects straight through.
export async function notifyShipping(orderId: number): Promise<void> {
  await fetch(`${PAYMENTS_URL}/v1/shipments`, { method: 'POST', body: JSON.stringify({ orderId }) });
}

// Hardened: bounded in time, and a failure degrades to "unknown" instead of failing checkout.
export async function fraudScore(userId: number): Promise<number | undefined> {
  try {
    const res = await fetch(`${FRAUD_URL}/score/${userId}`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { score: number };
    return body.score;
  } catch (err) {
    logger.warn({ err, userId }, 'fraud score unavailable');
    return undefined;
  }
}

// Hardened with axios: a timeout, and the error is logged and rethrown to the caller.
export async function refund(chargeId: string): Promise<void> {
  try {
    await axios.post(`${PAYMENTS_URL}/v1/refunds`, { charge: chargeId }, { timeout: 5_000 });
  } catch (err) {
    logger.error({ err, chargeId }, 'refund failed');
    throw err;
  }
}
