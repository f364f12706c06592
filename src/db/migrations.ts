// Applies the checked-in SQL migrations (prisma/migrations/<dialect>/NNNN_name/migration.sql) in order.
// Our own small runner: Prisma's migrate deploy cannot run offline against PostgreSQL here.
// Replicas starting together are serialized by a lock (PostgreSQL advisory lock, SQLite write lock).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { dialectOf, sqlitePath, type Dialect } from "./database.js";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_TABLE = "_vm_lifecycle_migrations";
const ADVISORY_LOCK_KEY = 727_001;
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function migrationsFolder(dialect: Dialect): string {
  return join(projectRoot, "prisma", "migrations", dialect);
}

export function readMigrations(dialect: Dialect, folder = migrationsFolder(dialect)): Migration[] {
  return readdirSync(folder)
    .filter((entry) => /^\d{4}_/.test(entry) && existsSync(join(folder, entry, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(folder, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export class MigrationChecksumError extends Error {
  constructor(name: string) {
    super(`Migration ${name} was changed after it was applied; add a new migration instead of editing an old one`);
  }
}

/** Applies pending migrations; returns the names applied now. */
export async function applyMigrations(url: string, migrations = readMigrations(dialectOf(url))): Promise<string[]> {
  return dialectOf(url) === "sqlite" ? applySqlite(url, migrations) : applyPostgres(url, migrations);
}

function pending(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum && checksum !== migration.checksum) throw new MigrationChecksumError(migration.name);
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

function applySqlite(url: string, migrations: Migration[]): string[] {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applyAll = db.transaction(() => {
      const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
      const todo = pending(new Map(rows.map((row) => [row.name, row.checksum])), migrations);
      const record = db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`);
      for (const migration of todo) {
        db.exec(migration.sql);
        record.run(migration.name, migration.checksum, new Date().toISOString());
      }
      return todo.map((migration) => migration.name);
    });
    return applyAll.immediate();
  } finally {
    db.close();
  }
}

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  // Imported here: a SQLite process never loads the PostgreSQL driver.
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    const todo = pending(new Map(rows.map((row) => [row.name, row.checksum])), migrations);
    for (const migration of todo) {
      await client.query(migration.sql);
      await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
    }
    await client.query("COMMIT");
    return todo.map((migration) => migration.name);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
