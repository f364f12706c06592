// Thin wrappers over the offline Prisma CLI (JS schema engine + driver adapter, see prisma.config.ts).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SchemaProvider } from "./prisma-schemas.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = join(root, "node_modules", ".bin", "prisma");

export function migrationsDir(provider: SchemaProvider): string {
  return join(root, "prisma", "migrations", provider);
}

/** The URL the CLI needs for a provider: SQLite works in memory; PostgreSQL diffing needs a reachable server. */
export function cliDatabaseUrl(provider: SchemaProvider): string {
  if (provider === "sqlite") return "file::memory:";
  return process.env.PRISMA_CLI_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function runPrisma(provider: SchemaProvider, args: string[]): string {
  return execFileSync(prismaBin, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: cliDatabaseUrl(provider), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** SQL that turns the `from` schema (or an empty database) into the `to` schema. */
export function diffSchemas(provider: SchemaProvider, from: string | undefined, to: string): string {
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  return runPrisma(provider, ["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"]);
}
