// Request schemas for the hardened routes.
import { z } from 'zod';

export const CreateOrderBody = z.object({
  userId: z.number().int().positive(),
  totalCents: z.number().int().nonnegative(),
});

export const OrderListQuery = z.object({
  status: z.enum(['pending', 'paid', 'shipped']).default('pending'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
