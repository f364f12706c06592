// Runs once per test run: migrates one SQLite template file and one PostgreSQL template database,
// which every test file then copies (a file copy / CREATE DATABASE ... TEMPLATE) in milliseconds.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../src/db/migrations.js";
import { databaseUrl, postgresAdminUrl, postgresReachable, withAdminClient } from "./postgres.js";

const runId = `${process.pid}_${Date.now().toString(36)}`;

export default async function setup(project: TestProject) {
  const workDir = join(process.cwd(), "data", "test-runs", runId);
  mkdirSync(workDir, { recursive: true });
  const sqliteTemplate = join(workDir, "template.db");
  await applyMigrations(`file:${sqliteTemplate}`);

  let postgresTemplate = "";
  if (await postgresReachable()) {
    postgresTemplate = `vmbot_template_${runId}`;
    await withAdminClient((client) => client.query(`CREATE DATABASE ${postgresTemplate}`));
    await applyMigrations(databaseUrl(postgresTemplate));
  } else if (process.env.CI === "true") {
    throw new Error(`PostgreSQL is not reachable at ${postgresAdminUrl}; under CI=true that is a failure, not a skip`);
  } else {
    console.warn(`\n[tests] PostgreSQL is not reachable at ${postgresAdminUrl}: SKIPPING the PostgreSQL half of the database tests (SQLite only).\n`);
  }

  project.provide("sqliteTemplate", sqliteTemplate);
  project.provide("postgresTemplate", postgresTemplate);
  project.provide("testWorkDir", workDir);

  return async () => {
    rmSync(workDir, { recursive: true, force: true });
    if (postgresTemplate) await dropDatabasesOfRun(postgresTemplate);
  };
}

async function dropDatabasesOfRun(template: string) {
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2",
      [`vmbot_test_${runId}_%`, template],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresTemplate: string;
    testWorkDir: string;
  }
}
