// The PostgreSQL pool under Prisma: each connection prepares the statements it is given (parsed once,
// planned per execution), statements outside transactions share a few pipelined connections where one
// failing fails alone and a lost connection is replaced; `pgbouncer=true` turns both off.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { availableDialects, createTestDatabaseUrl } from "../support/databases.js";

const postgres = availableDialects().includes("postgresql");

describe.skipIf(!postgres)("PostgreSQL statement pool", () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabaseUrl("postgresql");
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(url);
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  /** What one connection (a transaction's) holds prepared after reading VMs twice, and its plan mode. */
  function onOneConnection(db: Database) {
    return db.prisma.$transaction(async (tx) => {
      await tx.vm.findMany({ where: { name: { startsWith: "web" } }, take: 5 });
      await tx.vm.findMany({ where: { name: { startsWith: "db" } }, take: 5 });
      const prepared = await tx.$queryRawUnsafe<{ name: string; statement: string }[]>("SELECT name, statement FROM pg_prepared_statements");
      const [mode] = await tx.$queryRawUnsafe<{ plan_cache_mode: string }[]>("SHOW plan_cache_mode");
      return { prepared, mode: mode!.plan_cache_mode };
    });
  }

  const backendsOf = (db: Database, count: number) =>
    Promise.all(Array.from({ length: count }, () => db.prisma.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid").then(([row]) => row!.pid)));

  it("prepares each text once per connection, with custom plans", async () => {
    await withDatabase(database.url, async (db) => {
      await db.prisma.vm.create({ data: { name: "web-01", provider: "aws", region: "eu-west-1", providerResourceId: "i-web01" } });
      const { prepared, mode } = await onOneConnection(db);
      const reads = prepared.filter((row) => row.name.startsWith("prisma_") && row.statement.includes('FROM "public"."Vm"'));
      expect(reads).toHaveLength(1); // two reads of one shape: one statement
      expect(mode).toBe("force_custom_plan");
      expect(await db.prisma.vm.count({ where: { name: { startsWith: "web" } } })).toBe(1);
    });
  });

  it("runs 200 concurrent statements over two pipelined connections; one failing fails alone", async () => {
    await withDatabase(database.url, async (db) => {
      const pids = await backendsOf(db, 200);
      expect(new Set(pids).size).toBeLessThanOrEqual(2);
      const results = await Promise.allSettled([
        db.prisma.vm.count(),
        db.prisma.$queryRawUnsafe("SELECT 1 / 0"),
        db.prisma.vm.findMany({ take: 1 }),
        db.prisma.$queryRawUnsafe("SELECT 2 AS two"),
      ]);
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    });
  });

  it("replaces a pipelined connection the server dropped", async () => {
    await withDatabase(database.url, async (db) => {
      const before = new Set(await backendsOf(db, 20));
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [[...before]]);
      } finally {
        await admin.end();
      }
      // The statements already sent on a dropped connection fail; the next ones open a new connection.
      for (let attempt = 0; attempt < 5; attempt++) {
        const outcome = await backendsOf(db, 5).catch(() => undefined);
        if (outcome) {
          expect(outcome.some((pid) => before.has(pid))).toBe(false);
          return;
        }
      }
      throw new Error("no statement succeeded after the connections were dropped");
    });
  });

  it("prepares and pipelines nothing behind PgBouncer (pgbouncer=true)", async () => {
    const url = new URL(database.url);
    url.searchParams.set("pgbouncer", "true");
    await withDatabase(url.toString(), async (db) => {
      const { prepared, mode } = await onOneConnection(db);
      expect(prepared).toEqual([]);
      expect(mode).toBe("auto");
      expect(new Set(await backendsOf(db, 50)).size).toBeGreaterThan(2); // the pool's 10 connections
    });
  });
});
