// On PostgreSQL each pooled connection prepares the statements Prisma sends (parsed once, then only bound
// and executed), planned per execution (never a generic plan); `pgbouncer=true` turns it off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { availableDialects, createTestDatabaseUrl } from "../support/databases.js";

const postgres = availableDialects().includes("postgresql");

describe.skipIf(!postgres)("prepared statements on PostgreSQL", () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabaseUrl("postgresql");
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** What one connection (a transaction's) holds prepared after reading VMs twice, and its plan mode. */
  async function onOneConnection(db: Database) {
    return db.prisma.$transaction(async (tx) => {
      await tx.vm.findMany({ where: { name: { startsWith: "web" } }, take: 5 });
      await tx.vm.findMany({ where: { name: { startsWith: "db" } }, take: 5 });
      const prepared = await tx.$queryRawUnsafe<{ name: string; statement: string }[]>("SELECT name, statement FROM pg_prepared_statements");
      const [mode] = await tx.$queryRawUnsafe<{ plan_cache_mode: string }[]>("SHOW plan_cache_mode");
      return { prepared, mode: mode!.plan_cache_mode };
    });
  }

  it("prepares each text once per connection, with custom plans", async () => {
    const db = await openDatabase(database.url);
    try {
      await db.prisma.vm.create({ data: { name: "web-01", provider: "aws", region: "eu-west-1", providerResourceId: "i-web01" } });
      const { prepared, mode } = await onOneConnection(db);
      const reads = prepared.filter((row) => row.name.startsWith("prisma_") && row.statement.includes('FROM "public"."Vm"'));
      expect(reads).toHaveLength(1); // two reads of one shape: one statement
      expect(mode).toBe("force_custom_plan");
      expect(await db.prisma.vm.count({ where: { name: { startsWith: "web" } } })).toBe(1);
    } finally {
      await db.close();
    }
  });

  it("prepares nothing behind PgBouncer (pgbouncer=true)", async () => {
    const url = new URL(database.url);
    url.searchParams.set("pgbouncer", "true");
    const db = await openDatabase(url.toString());
    try {
      const { prepared, mode } = await onOneConnection(db);
      expect(prepared).toEqual([]);
      expect(mode).toBe("auto");
    } finally {
      await db.close();
    }
  });
});
