// `npm run db:migrate`: applies pending migrations to DATABASE_URL (start-up does the same).
import { loadConfig } from "../config.js";
import { applyMigrations } from "../db/migrations.js";
import { describeDatabaseUrl } from "../logger.js";

const config = loadConfig();
const applied = await applyMigrations(config.DATABASE_URL);
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s) to ${describeDatabaseUrl(config.DATABASE_URL)}: ${applied.join(", ")}`
    : `${describeDatabaseUrl(config.DATABASE_URL)} is up to date`,
);
