// `npm run seed [-- --reset]`: loads the demo data into DATABASE_URL (migrating it first).
// --yes-to-all and --seed-database are accepted for compatibility with the original project's
// scripts; this seed never asks questions, so they change nothing.
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { applyMigrations } from "../db/migrations.js";
import { describeDatabaseUrl } from "../logger.js";
import { describeSeedResult, seedDemoData } from "../seed/seed-demo-data.js";

const USAGE = "Usage: npm run seed [-- --reset]   (--reset empties every application table first)";
const KNOWN_FLAGS = new Set(["--reset", "--yes-to-all", "--seed-database", "--help", "-h"]);

const args = process.argv.slice(2);
const unknown = args.filter((arg) => !KNOWN_FLAGS.has(arg));
if (unknown.length || args.includes("--help") || args.includes("-h")) {
  if (unknown.length) console.error(`Unknown option(s): ${unknown.join(" ")}`);
  console.error(USAGE);
  process.exit(unknown.length ? 2 : 0);
}

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const database = await openDatabase(config.DATABASE_URL);
try {
  const result = await seedDemoData(database.prisma, { reset: args.includes("--reset") });
  console.log(`${describeDatabaseUrl(config.DATABASE_URL)}: ${describeSeedResult(result)}`);
} finally {
  await database.close();
}
