// One Prisma client per process, for SQLite (embedded default) or PostgreSQL (production, replicas).
// Both generated clients share the same models; services are typed against the SQLite one.
// Only the client and driver adapter of the database in use are loaded (imported on open): each
// costs memory and start-up time a process that never talks to the other database should not pay.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
// The PostgreSQL driver adapter stays an eager import (it is small; the PostgreSQL Prisma client, the large
// part, stays lazy): imported lazily, the signed-request fuzz test's own fetch ends up on undici 7's
// dispatcher, which refuses a caller-set content-length (test/slack/reliability/signed-requests).
import { PrismaPg } from "@prisma/adapter-pg";
import { statementPool } from "./pg-pool.js";
import type { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.js";
import { installPlanCache, learnEnumFields } from "./query-plan-cache.js";
import { QueryCounter } from "./query-counter.js";
import { serializedSqlite } from "./serialized-sqlite.js";

export type PrismaClient = SqlitePrismaClient;
export type Dialect = "sqlite" | "postgresql";

export interface Database {
  prisma: PrismaClient;
  dialect: Dialect;
  url: string;
  /** Statements and transactions sent so far (tests and the benchmark hold interactions to a count). */
  queries: QueryCounter;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

/** Absolute path of a `file:` URL's database, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").split("?")[0] ?? "";
  return path === ":memory:" ? path : resolve(path);
}

export async function openDatabase(url: string): Promise<Database> {
  const dialect = dialectOf(url);
  const queries = new QueryCounter();
  const prisma = dialect === "sqlite" ? await openSqlite(url, queries) : await openPostgres(url, queries);
  return { prisma, dialect, url, queries, close: () => prisma.$disconnect() };
}

async function openSqlite(url: string, queries: QueryCounter): Promise<PrismaClient> {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const [{ PrismaBetterSQLite3 }, { PrismaClient: SqlitePrismaClient }] = await Promise.all([
    import("@prisma/adapter-better-sqlite3"),
    import("../generated/sqlite/client.js"),
    installPlanCache("sqlite"),
  ]);
  // busy timeout: writers from the cron jobs and Slack handlers wait for each other instead of failing.
  const adapter = serializedSqlite(queries.wrap(new PrismaBetterSQLite3({ url: `file:${path}`, timeout: 10_000 })));
  const prisma = new SqlitePrismaClient({ adapter });
  learnEnumFields(prisma);
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the bot's crash or
  // kill -9 (the reliability suite proves it), only an OS crash or power cut may take the last ones back.
  // FULL would make each commit wait for the disk with the whole event loop (better-sqlite3 is synchronous).
  await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return prisma;
}

async function openPostgres(url: string, queries: QueryCounter): Promise<PrismaClient> {
  const [{ PrismaClient: PostgresPrismaClient }] = await Promise.all([import("../generated/postgresql/client.js"), installPlanCache("postgresql")]);
  const client = new PostgresPrismaClient({ adapter: queries.wrap(new PrismaPg(statementPool(url, 10), { disposeExternalPool: true })) });
  learnEnumFields(client);
  // Same models and runtime, generated for another provider: the shapes services use are identical.
  return client as unknown as PrismaClient;
}
