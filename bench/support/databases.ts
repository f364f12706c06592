// The databases a bench section runs on: a fresh SQLite file, and a throwaway PostgreSQL database when
// the server answers (BENCH_POSTGRES_URL); otherwise a printed note and SQLite only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Dialect } from "../../src/db/database.js";

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  dialect: Dialect;
  url: string;
  /** Deletes the file or drops the database. */
  drop(): Promise<void>;
}

export function sqliteBenchDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), "vmbot-bench-"));
  return { dialect: "sqlite", url: `file:${join(dir, "bench.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database on the PostgreSQL server, or undefined (with the reason printed) when it is unreachable. */
export async function postgresBenchDatabase(label = "bench"): Promise<BenchDatabase | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`\nPostgreSQL not reachable at ${POSTGRES_ADMIN_URL} (${error instanceof Error ? error.message : String(error)}): skipping its figures.`);
    return undefined;
  }
  const name = `vmbot_${label}_${process.pid}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect: "postgresql",
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** Runs `measure` on SQLite, then on PostgreSQL when reachable, dropping each database afterwards. */
export async function onEachDatabase(label: string, measure: (database: BenchDatabase) => Promise<void>): Promise<void> {
  const sqlite = sqliteBenchDatabase();
  try {
    await measure(sqlite);
  } finally {
    await sqlite.drop();
  }
  const postgres = await postgresBenchDatabase(label);
  if (!postgres) return;
  try {
    await measure(postgres);
  } finally {
    await postgres.drop();
  }
}
