// How many rows a seed run added, per table; all zeros means the demo data was already there.

export const SEEDED_TABLES = [
  "users",
  "environments",
  "environmentAccess",
  "groups",
  "groupDependencies",
  "vms",
  "vmTags",
  "vmDependencies",
  "simulatedInstances",
  "snapshots",
  "simulatedSnapshots",
  "auditLogs",
] as const;

export type SeededTable = (typeof SEEDED_TABLES)[number];
export type SeedCounts = Record<SeededTable, number>;

export function emptyCounts(): SeedCounts {
  return Object.fromEntries(SEEDED_TABLES.map((table) => [table, 0])) as SeedCounts;
}

export function totalOf(counts: SeedCounts): number {
  return SEEDED_TABLES.reduce((sum, table) => sum + counts[table], 0);
}
