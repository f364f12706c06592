// Prisma CLI configuration. The CLI runs offline with the JS schema engine and a driver adapter,
// picked from DATABASE_URL (the scripts in scripts/ always set it).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL ?? "file:./data/prisma-cli.db";
const isPostgres = url.startsWith("postgres");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/.build/${isPostgres ? "postgresql" : "sqlite"}/schema.prisma`,
  async adapter() {
    return isPostgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});
