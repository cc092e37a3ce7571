// User lookups through Prisma.
import { prisma } from '../db';

// Runs on every login, but `User.email` has no index in schema.prisma.
export async function findUsersByEmail(email: string) {
  return prisma.user.findMany({ where: { email }, take: 20 });
}

// Primary-key lookup: indexed by definition.
export async function findUser(id: number) {
  return prisma.user.findUnique({ where: { id } });
}
