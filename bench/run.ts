// `npm run bench` (first part): a production-sized fleet (5,000 VMs, 50 environments) and a 1,000,000-row
// audit log on SQLite and (when reachable) PostgreSQL: inventory pages, audit pages and the CSV export
// through the real services, a batch start of 200 VMs, Block Kit rendering. Prints one table per section
// with each figure's ratio to its target and writes them to bench/results.json. Asserts nothing.
import { openDatabase, type Database } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrations.js";
import { createSimulatedRegistry, type SimulatedRegistry } from "../src/providers/registry.js";
import type { RequestContext } from "../src/services/actor.js";
import type { AuditFilters } from "../src/services/audit-service.js";
import { createServices, type ServiceOptions, type Services } from "../src/services/index.js";
import { encodeCursor } from "../src/services/pagination.js";
import { parseVmQuery } from "../src/services/vm-query.js";
import { renderVmList } from "../src/slack/views/vm-list.js";
import { seededRandom } from "../src/providers/simulator/random-ids.js";
import { insertAuditHistory } from "./support/audit-history.js";
import { onEachDatabase, type BenchDatabase } from "./support/databases.js";
import { printTable, type Figure } from "./support/figures.js";
import { DEFAULT_FLEET, generateFleet, insertFleet, type InsertedFleet } from "./support/fleet.js";
import { latencies, time } from "./support/measure.js";
import { exportInChildProcess } from "./support/audit-export-child.js";
import { measureDriftSync } from "./support/drift-sync.js";
import { recordSection } from "./support/results.js";

const AUDIT_ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 1_000_000);
const AUDIT_DAYS = 90;
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 100);
const BATCH = 200;
/** One query behind an interaction: the bar for the audit pages, applied to every page read. */
const PAGE_TARGET = { op: "<", value: 20 } as const;
const SERVICE_OPTIONS: ServiceOptions = { admins: [], operators: [], defaultRole: "viewer", sessionIdleMinutes: 480, pollIntervalMs: 5, auditExportMaxRows: AUDIT_ROWS + 100_000 };

const fleetPlan = generateFleet(DEFAULT_FLEET);
const benchStart = performance.now();
console.log(
  `vm-lifecycle-bot benchmark: ${fleetPlan.vms.length.toLocaleString("en-US")} VMs in ${fleetPlan.environments.length} environments ` +
    `(e.g. ${fleetPlan.vms[0]!.name}, ${fleetPlan.environments[0]!.name}), ${fleetPlan.users.length} users, ` +
    `${AUDIT_ROWS.toLocaleString("en-US")} audit rows over ${AUDIT_DAYS} days, batch of ${BATCH}`,
);

function adminContext(fleet: InsertedFleet): RequestContext {
  const admin = fleet.users.find((user) => user.role === "admin")!;
  return {
    actor: { userId: admin.id, teamId: fleet.teamId, slackUserId: admin.slackUserId, displayName: null, role: "admin", active: true, envAdmin: true, environments: {} },
    source: "slack_button",
  };
}

async function inventoryFigures(services: Services, ctx: RequestContext, fleet: InsertedFleet): Promise<Figure[]> {
  const names = fleet.vms.map((vm) => vm.name).sort();
  const firstPage = await latencies(QUERY_RUNS, () => services.vms.listVms(ctx, {}, { limit: 10 }));
  const deepPage = await latencies(QUERY_RUNS, (run) => services.vms.fetchPage(ctx, {}, { cursor: encodeCursor({ name: names[(run * 397) % names.length]! }), limit: 10 }));
  const filters = ["status:running provider:aws tag:team=team-payments", "tag:tier=db status:stopped", "name~prod-eu tag:cost-center=CC-1300", "provider:gcp tag:env=dev"].map((query) => parseVmQuery(query));
  const filtered = await latencies(QUERY_RUNS, (run) => services.vms.listVms(ctx, filters[run % filters.length]!, { limit: 10 }));
  const prefixes = ["payments-api", "search-web", "ledger-db-prod", "platform-ci", "checkout", "fraud-worker-staging"];
  const typeahead = await latencies(QUERY_RUNS, (run) => services.vms.searchVms(ctx, prefixes[run % prefixes.length]!, 100));
  const [walkMs] = await time(async () => {
    let cursor: string | undefined;
    do cursor = (await services.vms.fetchPage(ctx, {}, { cursor, limit: 500 })).nextCursor;
    while (cursor);
  });
  return [
    { name: "VM list first page + total, p95", value: firstPage.p95, unit: "ms", target: PAGE_TARGET },
    { name: "VM list deep page (cursor), p95", value: deepPage.p95, unit: "ms", target: PAGE_TARGET },
    { name: "VM list filtered page + count, p95", value: filtered.p95, unit: "ms", target: PAGE_TARGET, note: "status, provider, tag and name filters" },
    { name: "VM typeahead (100 options), p95", value: typeahead.p95, unit: "ms", target: PAGE_TARGET },
    // Whole-inventory reads (digests, exports) should take well under a second per 5,000 VMs.
    { name: "walk the whole inventory, 500 a page", value: fleet.vms.length / (walkMs / 1000), unit: "VMs/s", target: { op: ">=", value: 10_000 } },
  ];
}

async function auditFigures(db: Database, url: string, services: Services, ctx: RequestContext, fleet: InsertedFleet, end: Date): Promise<Figure[]> {
  const random = seededRandom("bench-audit-queries");
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const day = 86_400_000;
  /** A window of `days` days somewhere in the log's 90 days. */
  const window = (days: number) => {
    const until = end.getTime() - Math.floor(random() * (AUDIT_DAYS - days)) * day;
    return { since: new Date(until - days * day), until: new Date(until) };
  };
  const actions = ["vm_start", "vm_stop", "reboot", "snapshot_created", "environment_start", "lock_acquired", "view", "access_granted"];
  const queries: [string, string, () => AuditFilters][] = [
    ["user + action", "a random user's entries of one action", () => ({ slackUserIds: [pick(fleet.users).slackUserId], actions: [pick(actions)] })],
    ["VM + time range", "one VM over a random 14 days", () => ({ vmName: pick(fleet.vms).name, ...window(14) })],
    ["action + time range", "one action over a random day", () => ({ actions: [pick(actions)], ...window(1) })],
    ["environment + time range", "one environment over a random 7 days", () => ({ environment: pick(fleet.environments).name, ...window(7) })],
  ];
  const figures: Figure[] = [];
  for (const [label, note, filters] of queries) {
    const first = await latencies(QUERY_RUNS, () => services.audit.query(ctx, filters(), { limit: 20 }));
    figures.push({ name: `audit page, ${label}: p95`, value: first.p95, unit: "ms", target: PAGE_TARGET, note: `${note}; p50 ${first.p50.toFixed(1)} ms, ${first.cpuMs.toFixed(1)} ms CPU per query in this process` });
  }
  // The next page from a cursor taken mid-log: the query behind "Older" and every export batch.
  const cursors: string[] = [];
  for (let run = 0; run < 20; run++) {
    const page = await services.audit.query(ctx, { actions: [pick(actions)], ...window(30) }, { limit: 20 });
    if (page.nextCursor) cursors.push(page.nextCursor);
  }
  const next = await latencies(QUERY_RUNS, (run) => services.audit.query(ctx, {}, { cursor: cursors[run % cursors.length], limit: 20 }));
  figures.push({ name: "audit page, older page from a cursor: p95", value: next.p95, unit: "ms", target: PAGE_TARGET });

  const exported = await exportInChildProcess(url, ctx, SERVICE_OPTIONS.auditExportMaxRows!);
  figures.push(
    {
      name: "CSV export of the whole log",
      value: exported.rows / (exported.ms / 1000),
      unit: "rows/s",
      // The export cap (AUDIT_EXPORT_MAX_ROWS, 1,000,000) should export within about a minute and a half.
      target: { op: ">=", value: 10_000 },
      note: `${exported.rows.toLocaleString("en-US")} rows, ${(exported.bytes / 1e6).toFixed(0)} MB in ${(exported.ms / 1000).toFixed(1)} s, in a process doing only the export`,
    },
    {
      name: "CSV export: peak RSS of the process",
      value: exported.peakMiB,
      unit: "MiB",
      target: { op: "<", value: 256 },
      note: `${exported.method} during the export; ${exported.startMiB.toFixed(0)} MiB when it began (+${(exported.peakMiB - exported.startMiB).toFixed(0)} MiB)`,
    },
  );

  return figures;
}

async function batchFigures(db: Database, services: Services, providers: SimulatedRegistry, ctx: RequestContext, fleet: InsertedFleet): Promise<Figure[]> {
  // Stopped VMs moved onto the instant simulator, so the figures are the bot's own overhead.
  const stopped = await db.prisma.vm.findMany({ where: { status: "stopped" }, select: { id: true, name: true, region: true }, take: BATCH, orderBy: { id: "asc" } });
  for (const vm of stopped) {
    const instance = await providers.simulator("simulator").registerInstance({ name: `${vm.name}-sim`, region: vm.region, state: "stopped" });
    await db.prisma.vm.update({ where: { id: vm.id }, data: { provider: "simulator", providerResourceId: instance.resourceId } });
  }
  const [acceptMs, request] = await time(() => services.vmActions.requestVmAction(ctx, "start", { names: stopped.map((vm) => vm.name) }));
  const [settleMs] = await time(() => services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 5 }));
  void fleet;
  return [
    { name: `batch start of ${stopped.length}: accepted`, value: acceptMs, unit: "ms", target: { op: "<", value: 3000 }, note: "inside Slack's 3-second window" },
    { name: `batch start of ${stopped.length}: all running`, value: settleMs, unit: "ms", target: { op: "<", value: 10_000 }, note: "simulated cloud answers at once: the bot's own overhead" },
  ];
}

function renderFigures(): Figure[] {
  const items = Array.from({ length: 10 }, (_, index) => ({ id: index, name: `payments-api-prod-eu-${index}`, status: "running" as const, statusMessage: null, provider: "aws" as const, region: "eu-west-1", tags: { team: "team-payments", tier: "api" }, lastAction: "vm_start", lastActionAt: new Date(), environment: "payments-prod-eu", environmentId: 1, group: "api" }));
  const selected = Array.from({ length: 100 }, (_, index) => ({ id: 1000 + index, name: `selected-${index}` }));
  const runs = 5000;
  const start = performance.now();
  for (let run = 0; run < runs; run++) renderVmList({ page: { items, hasPrevious: true, nextCursor: "x" }, total: 5000, state: { q: "", sel: selected.map((vm) => vm.id) }, selected, canAct: true, actionable: items.map((vm) => vm.id) });
  const perRender = (performance.now() - start) / runs;
  // A small part of the 2.5 ms CPU budget per interaction.
  return [{ name: "render a VM list page (10 rows, 100 selected)", value: perRender, unit: "ms", target: { op: "<", value: 0.5 } }];
}

async function measure(database: BenchDatabase): Promise<void> {
  const { dialect, url } = database;
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    const [fleetMs, fleet] = await time(() => insertFleet(db, fleetPlan, { simulatedCloud: true, driftShare: 0.02 }));
    const end = new Date();
    const [auditMs, written] = await time(() => insertAuditHistory(db, fleet, { rows: AUDIT_ROWS, days: AUDIT_DAYS, end }));
    // Steady state: the planner has statistics (autovacuum would get there; a bulk load is faster than it).
    await db.prisma.$executeRawUnsafe("ANALYZE");
    console.log(`\n[${dialect}] fleet written in ${(fleetMs / 1000).toFixed(1)} s, ${written.toLocaleString("en-US")} audit rows in ${(auditMs / 1000).toFixed(1)} s`);
    const providers = createSimulatedRegistry({ prisma: db.prisma, latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0, pollIntervalMs: 5 });
    const services = createServices(db, providers, SERVICE_OPTIONS);
    const ctx = adminContext(fleet);
    const setup = { database: dialect, vms: fleet.vms.length, environments: fleet.environments.length, users: fleet.users.length, auditRows: written };

    const inventory = await inventoryFigures(services, ctx, fleet);
    printTable(`Inventory (${dialect}, ${fleet.vms.length.toLocaleString("en-US")} VMs)`, inventory);
    recordSection(`inventory.${dialect}`, setup, inventory);

    const audit = await auditFigures(db, url, services, ctx, fleet, end);
    printTable(`Audit log (${dialect}, ${written.toLocaleString("en-US")} rows)`, audit);
    recordSection(`audit.${dialect}`, setup, audit);

    // Drift sync over the fleet: the simulated clouds hold every VM, 2% drifted. Before the batch below,
    // which moves 200 VMs onto another simulator.
    const drift = await measureDriftSync(fleet, providers, (counted) => createServices(db, counted, SERVICE_OPTIONS).drift.syncAll());
    printTable(`Drift sync (${dialect})`, drift);
    recordSection(`drift.${dialect}`, setup, drift);

    const batch = await batchFigures(db, services, providers, ctx, fleet);
    printTable(`Batch actions (${dialect})`, batch);
    recordSection(`batch.${dialect}`, setup, batch);
  } finally {
    await db.close();
  }
}

await onEachDatabase("bench", measure);
const render = renderFigures();
printTable("Rendering (no database)", render);
recordSection("rendering", {}, render);
console.log(`\nbench/run.ts done in ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
