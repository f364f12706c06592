// Demo data for a bot with no cloud account: users of every role with access to the environments, three layered environments,
// thirty VMs over the five provider kinds with matching simulated machines, snapshots and a week of
// audit history. Idempotent: rows are looked up by natural key and only missing ones are added.
import type { PrismaClient } from "../db/database.js";
import { seededRandom } from "../providers/simulator/random-ids.js";
import { seedAuditHistory } from "./demo-audit-history.js";
import { seedInventory } from "./demo-environments.js";
import { seedSnapshots } from "./demo-snapshots.js";
import { seedAccess, seedUsers } from "./demo-users.js";
import { wipeApplicationTables } from "./reset.js";
import { emptyCounts, totalOf, type SeedCounts } from "./seed-counts.js";
import { seedVms } from "./seed-vms.js";

export interface SeedOptions {
  /** "Now" for timestamps and the audit week; defaults to the current time. */
  now?: Date;
  /** Empty every application table first. */
  reset?: boolean;
}

export interface SeedResult {
  /** Rows added by this run, per table. */
  created: SeedCounts;
  /** False when everything was already there. */
  changed: boolean;
  reset: boolean;
}

export async function seedDemoData(prisma: PrismaClient, { now = new Date(), reset = false }: SeedOptions = {}): Promise<SeedResult> {
  if (reset) await wipeApplicationTables(prisma);
  const created = emptyCounts();
  const userIds = await seedUsers(prisma, created, now);
  const addedVms = await seedInventory(prisma, created);
  await seedAccess(prisma, created, userIds, now);
  const vms = await seedVms(prisma, created, addedVms, now);
  await seedSnapshots(prisma, created, vms, userIds, now);
  await seedAuditHistory(prisma, created, { now, random: seededRandom("demo-audit-history"), userIds, vms });
  return { created, changed: totalOf(created) > 0, reset };
}

/** For SEED_DEMO=1 at start-up: seed only a database nobody has used yet. */
export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  const [vms, environments] = await Promise.all([prisma.vm.count(), prisma.environment.count()]);
  return vms === 0 && environments === 0;
}

export function describeSeedResult({ created, changed, reset }: SeedResult): string {
  const wiped = reset ? "Wiped all application tables. " : "";
  if (!changed) return `${wiped}Demo data is already present; nothing changed.`;
  const parts = Object.entries(created)
    .filter(([, count]) => count > 0)
    .map(([table, count]) => `${count} ${table}`);
  return `${wiped}Added ${parts.join(", ")}.`;
}
