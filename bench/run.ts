// `npm run bench`: how the inventory, the audit log, rendering and batch actions hold up at scale,
// on SQLite and (when reachable) PostgreSQL. Prints figures and ratios; asserts nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrations.js";
import { createSimulatedRegistry } from "../src/providers/registry.js";
import { createServices } from "../src/services/index.js";
import { encodeCursor } from "../src/services/pagination.js";
import { parseVmQuery } from "../src/services/vm-query.js";
import { renderVmList } from "../src/slack/views/vm-list.js";

const VMS = Number(process.env.BENCH_VMS ?? 20_000);
const AUDIT_ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 100_000);
const BATCH = 200;
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

interface Figures {
  [name: string]: number;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

async function percentiles(runs: number, fn: (run: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push((await time(() => fn(run)))[0]);
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs * 0.5)]!, p95: samples[Math.floor(runs * 0.95)]! };
}

async function fill(db: Database) {
  const environment = await db.prisma.environment.create({ data: { name: "bench", groups: { create: { name: "app" } } }, include: { groups: true } });
  const providers = ["aws", "azure", "gcp", "oci", "simulator"] as const;
  for (let offset = 0; offset < VMS; offset += 2000) {
    const rows = Array.from({ length: Math.min(2000, VMS - offset) }, (_, index) => {
      const n = offset + index;
      return { name: `vm-${String(n).padStart(6, "0")}`, provider: providers[n % 5]!, region: "r1", status: n % 3 ? ("stopped" as const) : ("running" as const), providerResourceId: `res-${n}`, groupId: n % 10 ? null : environment.groups[0]!.id };
    });
    await db.prisma.vm.createMany({ data: rows });
  }
  const ids = await db.prisma.vm.findMany({ select: { id: true } });
  for (let offset = 0; offset < ids.length; offset += 5000) {
    await db.prisma.vmTag.createMany({ data: ids.slice(offset, offset + 5000).map(({ id }) => ({ vmId: id, key: "team", value: id % 4 ? "frontend" : "backend" })) });
  }
  const user = await db.prisma.user.create({ data: { teamId: "T0BENCH", slackUserId: "U0BENCH", role: "admin" } });
  const base = Date.now();
  for (let offset = 0; offset < AUDIT_ROWS; offset += 5000) {
    await db.prisma.auditLog.createMany({
      data: Array.from({ length: Math.min(5000, AUDIT_ROWS - offset) }, (_, index) => {
        const n = offset + index;
        return { userId: user.id, action: ["vm_start", "vm_stop", "view", "reboot"][n % 4]!, outcome: n % 20 ? ("succeeded" as const) : ("denied" as const), source: "slack_button" as const, vmName: `vm-${String(n % VMS).padStart(6, "0")}`, at: new Date(base - n * 1000), details: { n } };
      }),
    });
  }
  return user;
}

async function measure(url: string): Promise<Figures> {
  await applyMigrations(url);
  const db = await openDatabase(url);
  const figures: Figures = {};
  try {
    const [fillMs, user] = await time(() => fill(db));
    figures["fill (s)"] = fillMs / 1000;
    // Steady state: the planner has statistics (autovacuum would get there; a bulk load is faster than it).
    await db.prisma.$executeRawUnsafe("ANALYZE");
    const providers = createSimulatedRegistry({ prisma: db.prisma, latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0, pollIntervalMs: 5 });
    const services = createServices(db, providers, { admins: [], operators: [], defaultRole: "viewer", sessionIdleMinutes: 480, pollIntervalMs: 5 });
    const ctx = { actor: { userId: user.id, teamId: "T0BENCH", slackUserId: "U0BENCH", displayName: null, role: "admin" as const, active: true, envAdmin: true, environments: {} }, source: "slack_button" as const };

    const firstPage = await percentiles(50, () => services.vms.listVms(ctx, {}, { limit: 10 }));
    figures["list first page + total p50 (ms)"] = firstPage.p50;
    figures["list first page + total p95 (ms)"] = firstPage.p95;
    const deepPage = await percentiles(50, (run) => services.vms.fetchPage(ctx, {}, { cursor: encodeCursor({ name: `vm-${String((run * 397) % VMS).padStart(6, "0")}` }), limit: 10 }));
    figures["list deep page p95 (ms)"] = deepPage.p95;
    const filtered = parseVmQuery("status:running provider:aws tag:team=backend name~9");
    figures["filtered page + count p95 (ms)"] = (await percentiles(30, () => services.vms.listVms(ctx, filtered, { limit: 10 }))).p95;
    figures["typeahead p95 (ms)"] = (await percentiles(50, (run) => services.vms.searchVms(ctx, `vm-0${run % 10}`, 100))).p95;

    const [walkMs, pages] = await time(async () => {
      let cursor: string | undefined;
      let count = 0;
      do {
        const page = await services.vms.fetchPage(ctx, {}, { cursor, limit: 500 });
        cursor = page.nextCursor;
        count++;
      } while (cursor);
      return count;
    });
    figures["walk whole inventory (VMs/s)"] = VMS / (walkMs / 1000);
    void pages;

    figures["audit first page p95 (ms)"] = (await percentiles(50, () => services.audit.query(ctx, {}, { limit: 20 }))).p95;
    figures["audit filtered page p95 (ms)"] = (await percentiles(50, () => services.audit.query(ctx, { actions: ["reboot"], outcomes: ["denied"] }, { limit: 20 }))).p95;
    const [exportMs, exported] = await time(async () => {
      // Written to its temporary file and read back once, as an upload would.
      return services.audit.exportCsv(ctx, {}, async (file) => {
        for await (const chunk of file.open()) void chunk;
        return file.bytes;
      });
    });
    figures["CSV export (rows/s)"] = AUDIT_ROWS / (exportMs / 1000);
    figures["CSV export size (MB)"] = exported / 1e6;

    const batchNames = Array.from({ length: BATCH }, (_, index) => `vm-${String(index * 3 + 1).padStart(6, "0")}`);
    for (const name of batchNames) {
      const vm = await db.prisma.vm.findUniqueOrThrow({ where: { name } });
      const instance = await providers.simulator("simulator").registerInstance({ name, region: "r1", state: "stopped" });
      await db.prisma.vm.update({ where: { id: vm.id }, data: { provider: "simulator", providerResourceId: instance.resourceId, status: "stopped" } });
    }
    const [acceptMs, request] = await time(() => services.vmActions.requestVmAction(ctx, "start", { names: batchNames }));
    figures[`batch start of ${BATCH}: accepted (ms)`] = acceptMs;
    const [settleMs] = await time(() => services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 5 }));
    figures[`batch start of ${BATCH}: all running (ms)`] = settleMs;
    return figures;
  } finally {
    await db.close();
  }
}

function renderFigures(): Figures {
  const items = Array.from({ length: 10 }, (_, index) => ({ id: index, name: `vm-${index}`, status: "running" as const, statusMessage: null, provider: "aws" as const, region: "eu-west-1", tags: { team: "backend" }, lastAction: "vm_start", lastActionAt: new Date(), environment: "prod", environmentId: 1, group: "web" }));
  const selected = Array.from({ length: 100 }, (_, index) => ({ id: 1000 + index, name: `selected-${index}` }));
  const runs = 5000;
  const start = performance.now();
  for (let run = 0; run < runs; run++) renderVmList({ page: { items, hasPrevious: true, nextCursor: "x" }, total: 5000, state: { q: "", sel: selected.map((vm) => vm.id) }, selected, canAct: true, actionable: items.map((vm) => vm.id) });
  return { "render VM list page (renders/s)": runs / ((performance.now() - start) / 1000) };
}

async function postgresUrl(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `vmbot_bench_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "vmbot-bench-"));
console.log(`vm-lifecycle-bot benchmark: ${VMS.toLocaleString()} VMs, ${AUDIT_ROWS.toLocaleString()} audit rows, batch of ${BATCH}\n`);
const results: Record<string, Figures> = { sqlite: await measure(`file:${join(dir, "bench.db")}`) };
const postgres = await postgresUrl();
if (postgres) {
  try {
    results.postgresql = await measure(postgres.url);
  } finally {
    await postgres.drop();
  }
} else {
  console.log(`PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: SQLite only.\n`);
}
rmSync(dir, { recursive: true, force: true });

const names = Object.keys(results.sqlite!);
const width = Math.max(...names.map((name) => name.length));
console.log(`${"".padEnd(width)}  ${"sqlite".padStart(12)}${results.postgresql ? `  ${"postgresql".padStart(12)}  ${"pg/sqlite".padStart(9)}` : ""}`);
for (const name of names) {
  const a = results.sqlite![name]!;
  const b = results.postgresql?.[name];
  console.log(`${name.padEnd(width)}  ${a.toFixed(2).padStart(12)}${b !== undefined ? `  ${b.toFixed(2).padStart(12)}  ${(b / a).toFixed(2).padStart(9)}` : ""}`);
}
for (const [name, value] of Object.entries(renderFigures())) console.log(`\n${name}: ${value.toFixed(0)}`);
