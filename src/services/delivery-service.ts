// Slack retries a delivery it thinks was lost; Bolt does not deduplicate. Each delivery's key is
// claimed once in the database (shared by all replicas), so a retry never acts twice.
import { createGroupCommit } from "./group-commit.js";
import type { PrismaClient } from "./prisma-types.js";

/** The key is claimed already: this delivery is a retry. */
class AlreadyClaimed extends Error {}

export function createDeliveryService(deps: { prisma: PrismaClient; now?: () => Date }) {
  const { prisma } = deps;
  const now = deps.now ?? (() => new Date());

  const isDuplicate = (error: unknown) => (error as { code?: string }).code === "P2002";
  // Claims of concurrent requests go in as one INSERT. A retry among them makes that INSERT fail whole;
  // then each key is claimed alone, so only the retry is refused.
  const claims = createGroupCommit<{ key: string; createdAt: Date }>(
    async (rows) => {
      await prisma.processedDelivery.createMany({ data: rows });
    },
    async (row) => {
      try {
        await prisma.processedDelivery.create({ data: row });
      } catch (error) {
        throw isDuplicate(error) ? new AlreadyClaimed() : error;
      }
    },
  );

  /** True the first time a key is seen, false for every retry of it. */
  async function claim(key: string): Promise<boolean> {
    try {
      await claims.write({ key, createdAt: now() });
      return true;
    } catch (error) {
      if (error instanceof AlreadyClaimed) return false;
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
