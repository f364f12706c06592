// Writes the next migration for every provider by diffing the schema the last migration left
// (its schema.prisma snapshot) against the current prisma/schema.prisma. Usage: npm run db:new-migration -- <name>
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS, builtSchemaPath, writeBuiltSchemas, type SchemaProvider } from "./prisma-schemas.js";
import { diffSchemas, migrationsDir } from "./prisma-cli.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}

writeBuiltSchemas();
for (const provider of PROVIDERS) writeNextMigration(provider, name);

function writeNextMigration(provider: SchemaProvider, migrationName: string): void {
  const dir = migrationsDir(provider);
  mkdirSync(dir, { recursive: true });
  const existing = readdirSync(dir).filter((entry) => /^\d{4}_/.test(entry)).sort();
  const last = existing.at(-1);
  const sql = diffSchemas(provider, last ? join(dir, last, "schema.prisma") : undefined, builtSchemaPath(provider));
  if (!/^\s*(CREATE|ALTER|DROP|PRAGMA|INSERT)/m.test(sql)) {
    console.log(`${provider}: schema unchanged, no migration written`);
    return;
  }
  const folder = join(dir, `${String(existing.length + 1).padStart(4, "0")}_${migrationName}`);
  if (existsSync(folder)) throw new Error(`${folder} already exists`);
  mkdirSync(folder);
  writeFileSync(join(folder, "migration.sql"), sql);
  copyFileSync(builtSchemaPath(provider), join(folder, "schema.prisma"));
  console.log(`${provider}: wrote ${folder}`);
}
