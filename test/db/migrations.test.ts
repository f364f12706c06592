// The schema and both migration sets agree: a database built by replaying the checked-in migrations
// has exactly the structure of one built straight from prisma/schema.prisma, on SQLite and PostgreSQL.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { applyMigrations, MigrationChecksumError, migrationsFolder, readMigrations } from "../../src/db/migrations.js";
import { builtSchemaPath, writeBuiltSchemas } from "../../scripts/prisma-schemas.js";
import { diffSchemas } from "../../scripts/prisma-cli.js";
import { availableDialects } from "../support/databases.js";
import { databaseUrl, postgresAdminUrl, withAdminClient } from "../support/postgres.js";

process.env.PRISMA_CLI_POSTGRES_URL ??= postgresAdminUrl;
writeBuiltSchemas();
const tempDir = mkdtempSync(join(tmpdir(), "vmbot-migrations-"));
const pgDatabases: string[] = [];
afterAll(async () => {
  for (const name of pgDatabases) await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

function lastSnapshot(dialect: "sqlite" | "postgresql") {
  const folder = migrationsFolder(dialect);
  const last = readdirSync(folder).filter((entry) => /^\d{4}_/.test(entry)).sort().at(-1)!;
  return join(folder, last, "schema.prisma");
}

it.each(availableDialects())("%s: the last migration's schema is the current schema (no migration is missing)", (dialect) => {
  const pending = diffSchemas(dialect, lastSnapshot(dialect), builtSchemaPath(dialect));
  expect(pending).not.toMatch(/^\s*(CREATE|ALTER|DROP)/m);
});

it("SQLite: replayed migrations build the same tables, columns, indexes and keys as the schema", async () => {
  const fromMigrations = join(tempDir, "migrated.db");
  await applyMigrations(`file:${fromMigrations}`);
  const fromSchema = new BetterSqlite3(join(tempDir, "schema.db"));
  fromSchema.exec(diffSchemas("sqlite", undefined, builtSchemaPath("sqlite")));
  const migrated = new BetterSqlite3(fromMigrations);
  expect(sqliteStructure(migrated)).toEqual(sqliteStructure(fromSchema));
  expect(Object.keys(sqliteStructure(migrated))).toContain("AuditLog");
  migrated.close();
  fromSchema.close();
});

it.runIf(availableDialects().includes("postgresql"))("PostgreSQL: replayed migrations build the same structure as the schema", async () => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const [migratedName, schemaName] = [`vmbot_mig_a_${suffix}`, `vmbot_mig_b_${suffix}`];
  pgDatabases.push(migratedName, schemaName);
  await withAdminClient(async (client) => {
    await client.query(`CREATE DATABASE ${migratedName}`);
    await client.query(`CREATE DATABASE ${schemaName}`);
  });
  await applyMigrations(databaseUrl(migratedName));
  const direct = new pg.Client({ connectionString: databaseUrl(schemaName) });
  await direct.connect();
  await direct.query(diffSchemas("postgresql", undefined, builtSchemaPath("postgresql")));
  const migrated = new pg.Client({ connectionString: databaseUrl(migratedName) });
  await migrated.connect();
  const [a, b] = [await postgresStructure(migrated), await postgresStructure(direct)];
  expect(a).toEqual(b);
  expect(a.indexes.some((index) => index.includes("AuditLog_action_at_idx"))).toBe(true);
  await migrated.end();
  await direct.end();
});

it("refuses to run when an applied migration was edited afterwards", async () => {
  const url = `file:${join(tempDir, "edited.db")}`;
  const migrations = readMigrations("sqlite");
  await applyMigrations(url, migrations);
  const edited = migrations.map((migration, index) => (index === 0 ? { ...migration, checksum: "changed" } : migration));
  await expect(applyMigrations(url, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  expect(await applyMigrations(url, migrations)).toEqual([]);
});

function sqliteStructure(db: BetterSqlite3.Database) {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_vm_lifecycle_migrations' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      {
        columns: db.prepare(`PRAGMA table_info("${name}")`).all(),
        indexes: (db.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number }[])
          .map((index) => ({ ...index, columns: db.prepare(`PRAGMA index_info("${index.name}")`).all() }))
          .sort((x, y) => x.name.localeCompare(y.name)),
        foreignKeys: db.prepare(`PRAGMA foreign_key_list("${name}")`).all(),
      },
    ]),
  );
}

async function postgresStructure(client: pg.Client) {
  const rows = async (sql: string) => (await client.query(sql)).rows.map((row) => JSON.stringify(row));
  return {
    columns: await rows(
      "SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_vm_lifecycle_migrations' ORDER BY table_name, column_name",
    ),
    indexes: await rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_vm_lifecycle_migrations' ORDER BY indexname"),
    constraints: await rows(
      "SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_vm_lifecycle_migrations' ORDER BY 1, 2",
    ),
    // The labels in their order: ADD VALUE ... BEFORE gives fractional sort keys, the same order.
    enums: await rows("SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder"),
  };
}
