// Runs a suite once per database: a fresh SQLite file and, when reachable, a fresh PostgreSQL database.
// Each test starts from empty tables.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, inject } from "vitest";
import { openDatabase, type Database, type Dialect } from "../../src/db/database.js";
import { databaseUrl, withAdminClient } from "./postgres.js";

export interface TestDatabase {
  /** Valid inside tests and hooks (set up in beforeAll). */
  readonly db: Database;
}

export function availableDialects(): Dialect[] {
  return inject("postgresTemplate") ? ["sqlite", "postgresql"] : ["sqlite"];
}

let databaseCounter = 0;

/** The URL of a new migrated, empty database of the given dialect, and how to drop it. */
export async function createTestDatabaseUrl(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  const suffix = `${process.pid}_${++databaseCounter}_${randomUUID().slice(0, 8)}`;
  if (dialect === "sqlite") {
    const path = join(inject("testWorkDir"), `test_${suffix}.db`);
    copyFileSync(inject("sqliteTemplate"), path);
    return { url: `file:${path}`, drop: async () => undefined };
  }
  const template = inject("postgresTemplate");
  const name = `${template.replace("vmbot_template_", "vmbot_test_")}_${suffix}`.toLowerCase();
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A migrated, empty database of the given dialect; `close()` also drops it. */
export async function createTestDatabase(dialect: Dialect): Promise<Database> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const database = await openDatabase(url);
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

const APP_TABLES = [
  "AuditLog", "OperationVm", "OperationExecution", "VmStateHistory", "Snapshot", "VmTag", "VmDependency", "Vm",
  "GroupDependency", "VmGroup", "EnvironmentAccess", "AccessRequest", "EnvironmentLock", "LockHistory", "LockQueueEntry",
  "Environment", "Notification", "NotificationPreference", "User", "ProcessedDelivery", "SimulatedSnapshot", "SimulatedInstance",
  "JobRun", "AuditDigest",
];

export async function emptyAllTables(db: Database): Promise<void> {
  if (db.dialect === "postgresql") {
    await db.prisma.$executeRawUnsafe(`TRUNCATE ${APP_TABLES.map((table) => `"${table}"`).join(", ")} RESTART IDENTITY CASCADE`);
    return;
  }
  await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
  for (const table of APP_TABLES) await db.prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await db.prisma.$executeRawUnsafe(`DELETE FROM sqlite_sequence`);
  await db.prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
}

/**
 * describe() once per available database. The suite body receives a handle whose `db` is a fresh
 * migrated database, emptied before every test.
 */
export function describeEachDatabase(name: string, body: (handle: TestDatabase) => void): void {
  for (const dialect of availableDialects()) {
    describe(`${name} [${dialect}]`, () => {
      const handle = { db: undefined as unknown as Database };
      beforeAll(async () => {
        handle.db = await createTestDatabase(dialect);
      });
      beforeEach(async () => {
        await emptyAllTables(handle.db);
      });
      afterAll(async () => {
        await handle.db?.close();
      });
      body(handle);
    });
  }
}
