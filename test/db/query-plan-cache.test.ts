// The query plan cache (src/db/query-plan-cache.ts) against the real compiler and database: a repeated
// shape is served from the cache with each call's own values, and shapes whose plan depends on the value
// (a LIKE pattern, null, enums on PostgreSQL, Json written as text) still read and write what they should.
import { expect, it } from "vitest";
import { planCacheStats } from "../../src/db/query-plan-cache.js";
import { describeEachDatabase } from "../support/databases.js";

describeEachDatabase("query plan cache", (t) => {
  const stats = () => ({ ...planCacheStats(t.db.dialect)! });

  async function addVms(count: number) {
    for (let index = 0; index < count; index++) {
      await t.db.prisma.vm.create({
        data: {
          name: `web-${String(index).padStart(2, "0")}`,
          provider: index % 2 ? "aws" : "gcp",
          region: `region-${index % 3}`,
          providerResourceId: `i-${index}`,
          status: index % 2 ? "running" : "stopped",
          details: { cpu: index, note: `vm ${index} "quoted" ünïcode` },
          tags: { create: [{ key: "team", value: `team-${index % 4}` }] },
        },
      });
    }
  }

  it("serves a repeated shape from the cache, each call with its own values", async () => {
    await addVms(12);
    const before = stats();
    for (let index = 0; index < 12; index++) {
      const vm = await t.db.prisma.vm.findUnique({ where: { name: `web-${String(index).padStart(2, "0")}` }, include: { tags: true } });
      expect(vm?.providerResourceId).toBe(`i-${index}`);
      expect(vm?.tags).toEqual([expect.objectContaining({ key: "team", value: `team-${index % 4}` })]);
      expect(vm?.details).toEqual({ cpu: index, note: `vm ${index} "quoted" ünïcode` });
    }
    const after = stats();
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(11);
    expect(after.misses - before.misses).toBeLessThanOrEqual(1);
  });

  it("answers filters, ranges, lists, dates and updates exactly as the compiler does without it", async () => {
    await addVms(12);
    for (const [region, status] of [["region-0", "running"], ["region-1", "stopped"], ["region-2", "running"]] as const) {
      const rows = await t.db.prisma.vm.findMany({ where: { region, status, name: { gt: "web-02" } }, orderBy: { name: "asc" }, select: { name: true } });
      const expected = Array.from({ length: 12 }, (_, index) => index)
        .filter((index) => `region-${index % 3}` === region && (index % 2 ? "running" : "stopped") === status && index > 2)
        .map((index) => ({ name: `web-${String(index).padStart(2, "0")}` }));
      expect(rows).toEqual(expected);
    }
    for (const ids of [[1, 2], [3, 4], [5, 999]]) {
      const ours = await t.db.prisma.vm.findMany({ where: { id: { in: ids } }, select: { id: true }, orderBy: { id: "asc" } });
      const all = await t.db.prisma.vm.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      expect(ours).toEqual(all.filter((vm) => ids.includes(vm.id)));
    }
    for (const at of [new Date("2026-01-01T00:00:00Z"), new Date("2026-06-30T12:34:56.789Z")]) {
      await t.db.prisma.vm.updateMany({ where: { name: "web-03" }, data: { lastActionAt: at, lastAction: "vm_start" } });
      expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "web-03" } })).lastActionAt).toEqual(at);
      expect(await t.db.prisma.vm.count({ where: { lastActionAt: { gte: at } } })).toBe(1);
      expect(await t.db.prisma.vm.count({ where: { lastActionAt: { gt: at } } })).toBe(0);
    }
  });

  it("keeps the value where the plan depends on it: LIKE patterns, null and enums", async () => {
    await addVms(12);
    // `contains` becomes a pattern inside the plan: never served from a cached plan with another value.
    expect(await t.db.prisma.vm.count({ where: { name: { contains: "b-0" } } })).toBe(10);
    expect(await t.db.prisma.vm.count({ where: { name: { contains: "b-1" } } })).toBe(2);
    expect(await t.db.prisma.vm.count({ where: { name: { startsWith: "web-1" } } })).toBe(2);
    await t.db.prisma.vm.update({ where: { name: "web-00" }, data: { statusMessage: "degraded" } });
    expect(await t.db.prisma.vm.count({ where: { statusMessage: null } })).toBe(11);
    expect(await t.db.prisma.vm.count({ where: { statusMessage: "degraded" } })).toBe(1);
    expect(await t.db.prisma.vm.count({ where: { statusMessage: "other" } })).toBe(0);
    expect(await t.db.prisma.vm.count({ where: { status: "running" } })).toBe(6);
    expect(await t.db.prisma.vm.count({ where: { status: { in: ["stopped", "error"] } } })).toBe(6);
  });
});
