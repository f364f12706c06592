// One transaction per environment at a time: a row lock on each Environment row, taken in id order (no
// deadlock between two transactions that lock several). Claims, lock changes and access requests that must see
// each other's writes take it first, instead of a read-then-write check.
import type { Db } from "../prisma-types.js";

export async function serializeEnvironments(db: Db, environmentIds: readonly number[]): Promise<void> {
  for (const id of [...new Set(environmentIds)].sort((a, b) => a - b)) await db.$executeRawUnsafe(`UPDATE "Environment" SET "id" = "id" WHERE "id" = ${Number(id)}`);
}
