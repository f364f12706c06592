// Slack retries a delivery it thinks was lost; Bolt does not deduplicate. Each delivery's key is
// claimed once in the database (shared by all replicas), so a retry never acts twice.
import type { PrismaClient } from "./prisma-types.js";

export function createDeliveryService(deps: { prisma: PrismaClient; now?: () => Date }) {
  const { prisma } = deps;
  const now = deps.now ?? (() => new Date());

  /** True the first time a key is seen, false for every retry of it. */
  async function claim(key: string): Promise<boolean> {
    try {
      await prisma.processedDelivery.create({ data: { key, createdAt: now() } });
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") return false;
      throw error;
    }
  }

  /** Slack stops retrying after minutes; keys older than a day are dead weight. */
  async function prune(olderThanMs = 24 * 3600_000): Promise<number> {
    const { count } = await prisma.processedDelivery.deleteMany({ where: { createdAt: { lt: new Date(now().getTime() - olderThanMs) } } });
    return count;
  }

  return { claim, prune };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
