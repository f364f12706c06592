// The Prisma types services use, from the SQLite client (the PostgreSQL one has the same shapes).
export type { PrismaClient } from "../db/database.js";
export type { Prisma } from "../generated/sqlite/client.js";
import type { Prisma } from "../generated/sqlite/client.js";

/** The client or an interactive transaction: repositories accept either. */
export type Db = Prisma.TransactionClient;
