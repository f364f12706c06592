// Delivery claims: the claims of concurrent requests go in as one INSERT, and a retry among them (or one
// claimed by another replica) is still refused alone: exactly one claim per key wins.
import { expect, it } from "vitest";
import { createDeliveryService } from "../../src/services/delivery-service.js";
import { describeEachDatabase } from "../support/databases.js";

describeEachDatabase("delivery claims", (t) => {
  it("claims concurrent keys in one statement", async () => {
    const deliveries = createDeliveryService({ prisma: t.db.prisma });
    const before = t.db.queries.snapshot();
    t.db.prisma.$on?.("query" as never, (() => {}) as never);
    const claimed = await Promise.all(Array.from({ length: 30 }, (_, n) => deliveries.claim(`trigger:grouped-${n}`)));
    expect(claimed).toEqual(Array(30).fill(true));
    // One INSERT of 30 rows (and the COMMIT of Prisma's transaction around createMany), not 30 INSERTs.
    const after = t.db.queries.snapshot();
    expect(after.queries - before.queries).toBeLessThanOrEqual(2);
    expect(after.transactions - before.transactions).toBe(1);
    expect(await t.db.prisma.processedDelivery.count({ where: { key: { startsWith: "trigger:grouped-" } } })).toBe(30);
  });

  it("refuses every retry, in the same batch or from another replica, and only the retries", async () => {
    const replicaA = createDeliveryService({ prisma: t.db.prisma });
    const replicaB = createDeliveryService({ prisma: t.db.prisma });
    expect(await replicaA.claim("trigger:earlier")).toBe(true);
    const keys = Array.from({ length: 20 }, (_, n) => `trigger:retried-${n}`);
    // Each key three times at once (twice on A, once on B), and the one claimed earlier again.
    const attempts = [...keys.flatMap((key) => [replicaA.claim(key), replicaB.claim(key), replicaA.claim(key)]), replicaB.claim("trigger:earlier")];
    const results = await Promise.all(attempts);
    for (let n = 0; n < keys.length; n++) expect(results.slice(n * 3, n * 3 + 3).filter(Boolean)).toHaveLength(1);
    expect(results.at(-1)).toBe(false);
    expect(await t.db.prisma.processedDelivery.count({ where: { key: { startsWith: "trigger:retried-" } } })).toBe(20);
  });
});
