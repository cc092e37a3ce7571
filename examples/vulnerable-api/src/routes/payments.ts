// Checkout: charges the card through the payment provider.
import { Router } from 'express';
import { CreateOrderBody } from '../validation';
import { chargeCard } from '../services/payment-client';

export const payments = Router();

payments.post('/checkout', async (req, res) => {
  const order = CreateOrderBody.parse(req.body);
  const charge = await chargeCard(order.userId, order.totalCents);
  res.json({ chargeId: charge.id });
});
