// A realistic audit log of any size, written fast: 90 days of entries, busier on weekday working hours,
// a few heavy users and many light ones (Zipf), a few VMs touched often and most rarely (Zipf), actions
// weighted as a chat-ops bot sees them (mostly looks, then starts and stops, a few denials and failures).
// Rows are generated in batches (never all in memory) and inserted with the database's own bulk path:
// one prepared statement in a transaction on SQLite, multi-row INSERT ... SELECT FROM unnest() on PostgreSQL.
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { sqlitePath, type Database } from "../../src/db/database.js";
import { seededRandom, type RandomSource } from "../../src/providers/simulator/random-ids.js";
import type { InsertedFleet } from "./fleet.js";

export interface AuditHistoryOptions {
  rows: number;
  days?: number;
  /** The newest entry's time (default: now). */
  end?: Date;
  seed?: string;
}

export interface AuditRowData {
  at: number;
  userId: number | null;
  vmId: number | null;
  vmName: string | null;
  environmentId: number | null;
  action: string;
  outcome: "initiated" | "succeeded" | "failed" | "denied";
  source: "slack_command" | "slack_button" | "slack_modal" | "slack_home" | "schedule" | "system";
  details: string | null;
}

/** Action, its weight, and what it is about: a VM, an environment, or neither. */
const ACTIONS: [string, number, "vm" | "environment" | "none"][] = [
  ["view", 40, "none"], ["vm_start", 12, "vm"], ["vm_stop", 12, "vm"], ["login", 6, "none"], ["logout", 3, "none"],
  ["reboot", 4, "vm"], ["snapshot_created", 3, "vm"], ["snapshot_deleted", 1, "vm"], ["snapshot_restored", 0.5, "vm"],
  ["environment_start", 2.5, "environment"], ["environment_stop", 2.5, "environment"], ["lock_acquired", 2, "environment"],
  ["lock_released", 2, "environment"], ["lock_broken", 0.1, "environment"], ["access_requested", 1, "environment"],
  ["access_granted", 0.8, "environment"], ["access_denied", 0.2, "environment"], ["access_revoked", 0.2, "environment"],
  ["state_drift_detected", 2, "vm"], ["audit_exported", 0.2, "none"], ["role_changed", 0.1, "none"], ["delete", 0.2, "vm"],
];
const SOURCES: [AuditRowData["source"], number][] = [["slack_button", 45], ["slack_command", 25], ["slack_home", 10], ["slack_modal", 5], ["schedule", 10], ["system", 5]];

/** Draws an index with the given weights (binary search over the cumulative sum). */
function weightedPicker(weights: number[], random: RandomSource): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) cumulative.push((sum += weight));
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

const zipf = (count: number, exponent: number) => Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** exponent);

/** Batches of rows in time order (oldest first, so ids grow with time as in a real log). */
export function* auditHistory(fleet: InsertedFleet, options: AuditHistoryOptions, batchSize = 10_000): Generator<AuditRowData[]> {
  const random = seededRandom(options.seed ?? "bench-audit");
  const days = options.days ?? 90;
  const end = (options.end ?? new Date()).getTime();
  const start = end - days * 86_400_000;
  // Hour-by-hour activity: weekday working hours busy, evenings quiet, weekends quieter.
  const hourWeights = Array.from({ length: days * 24 }, (_, hour) => {
    const at = new Date(start + hour * 3_600_000);
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
    const working = at.getUTCHours() >= 8 && at.getUTCHours() < 19;
    return weekend ? 1 : working ? 10 : 2;
  });
  const cumulativeHours: number[] = [];
  let total = 0;
  for (const weight of hourWeights) cumulativeHours.push((total += weight));
  // Shuffled ranks so the heavy users and hot VMs are not simply the first rows.
  const shuffled = <T>(items: T[]) => items.map((item) => [random(), item] as const).sort((a, b) => a[0] - b[0]).map(([, item]) => item);
  const users = shuffled(fleet.users);
  const vms = shuffled(fleet.vms);
  const environments = shuffled(fleet.environments);
  const pickUser = weightedPicker(zipf(users.length, 1.1), random);
  const pickVm = weightedPicker(zipf(vms.length, 0.9), random);
  const pickEnvironment = weightedPicker(zipf(environments.length, 0.8), random);
  const pickAction = weightedPicker(ACTIONS.map(([, weight]) => weight), random);
  const pickSource = weightedPicker(SOURCES.map(([, weight]) => weight), random);

  let hour = 0;
  let batch: AuditRowData[] = [];
  for (let n = 0; n < options.rows; n++) {
    // The n-th of `rows` evenly spaced points of the activity curve, with jitter inside its hour.
    const point = ((n + random()) / options.rows) * total;
    while (cumulativeHours[hour]! < point) hour++;
    const withinHour = (point - (cumulativeHours[hour]! - hourWeights[hour]!)) / hourWeights[hour]!;
    const at = Math.floor(start + (hour + withinHour) * 3_600_000);
    const [action, , about] = ACTIONS[pickAction()]!;
    const source = SOURCES[pickSource()]![0];
    const automatic = source === "schedule" || source === "system";
    const user = automatic ? null : users[pickUser()]!;
    const vm = about === "vm" ? vms[pickVm()]! : null;
    const environmentId = vm ? vm.environmentId : about === "environment" ? environments[pickEnvironment()]!.id : null;
    const roll = random();
    const outcome: AuditRowData["outcome"] = roll < 0.03 && user ? "denied" : roll < 0.06 ? "failed" : roll < 0.12 && about === "vm" ? "initiated" : "succeeded";
    const details =
      outcome === "denied" ? `{"reason":"not allowed"}` : about === "vm" && roll < 0.5 ? `{"operationId":${Math.floor(n / 7)},"batch":${roll < 0.2}}` : about === "none" && action === "view" ? `{"surface":"${roll < 0.5 ? "list" : "home"}"}` : null;
    batch.push({ at, userId: user?.id ?? null, vmId: vm?.id ?? null, vmName: vm?.name ?? null, environmentId, action, outcome, source, details });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** SQLite stores Prisma DateTimes as ISO text with an explicit offset; text order is time order only in that exact form. */
const sqliteTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** Inserts the history with the driver directly (Prisma's createMany is about 10x slower at a million rows). */
export async function insertAuditHistory(db: Database, fleet: InsertedFleet, options: AuditHistoryOptions): Promise<number> {
  let written = 0;
  if (db.dialect === "sqlite") {
    const sqlite = new BetterSqlite3(sqlitePath(db.url), { timeout: 10_000 });
    try {
      const insert = sqlite.prepare('INSERT INTO "AuditLog" ("at","userId","vmId","vmName","environmentId","action","outcome","source","details") VALUES (?,?,?,?,?,?,?,?,?)');
      const insertBatch = sqlite.transaction((rows: AuditRowData[]) => {
        for (const row of rows) insert.run(sqliteTime(row.at), row.userId, row.vmId, row.vmName, row.environmentId, row.action, row.outcome, row.source, row.details);
      });
      for (const rows of auditHistory(fleet, options, 50_000)) {
        insertBatch(rows);
        written += rows.length;
      }
    } finally {
      sqlite.close();
    }
    return written;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const rows of auditHistory(fleet, options, 20_000)) {
      await client.query(
        `INSERT INTO "AuditLog" ("at","userId","vmId","vmName","environmentId","action","outcome","source","details")
         SELECT * FROM unnest($1::timestamp(3)[], $2::int[], $3::int[], $4::text[], $5::int[], $6::text[], $7::"AuditOutcome"[], $8::"AuditSource"[], $9::jsonb[])`,
        [
          rows.map((row) => new Date(row.at).toISOString().replace("Z", "")),
          rows.map((row) => row.userId),
          rows.map((row) => row.vmId),
          rows.map((row) => row.vmName),
          rows.map((row) => row.environmentId),
          rows.map((row) => row.action),
          rows.map((row) => row.outcome),
          rows.map((row) => row.source),
          rows.map((row) => row.details),
        ],
      );
      written += rows.length;
    }
  } finally {
    await client.end();
  }
  return written;
}
