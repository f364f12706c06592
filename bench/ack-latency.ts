// `npm run bench` (part): the compiled bot (`node <flags> dist/main.js`, exactly as `npm start` runs it) on loopback,
// driven like Slack drives it: signed `/vm list` commands, checkbox ticks, paging clicks and Start clicks into Bolt's real
// HTTP receiver at concurrency 16, its Web API calls and response_url posts answered by a small stand-in
// here. Measures ack latency (p50/p99), interactions/s (until the bot's work is done, not just acked), CPU
// per interaction (the bot's utime+stime from /proc), RSS idle and under load, start-up to /healthz; on
// SQLite and (when reachable) PostgreSQL. Prints a table with each figure's ratio to its target and merges
// its figures into bench/results.json under "ackLatency". Asserts nothing.
//
// BENCH_ACK_REQUESTS (default 4000 of each kind: the p99 of a longer run depends less on one stall), BENCH_ACK_FLEET (extra VMs on top of the 30 demo VMs,
// default 0), BENCH_ACK_CPU_PROF (a directory for the bot's CPU profiles), BENCH_POSTGRES_URL (admin URL, default postgresql://postgres@127.0.0.1:5432/postgres),
// BENCH_ACK_KINDS (a comma-separated subset of "list,tick,page,start"), BENCH_ACK_WARM_UP (untimed requests of each kind first, default 500),
// BENCH_ACK_SPREAD=1 (print more percentiles), BENCH_ACK_DATABASES (of "sqlite,postgresql"),
// BENCH_NODE_FLAGS (Node flags for the bot instead of those of `npm start`), BENCH_PROCESS_FLEET (VMs added after the ack runs
// for start-up and RSS idle at production scale, default 5000).
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrations.js";
import { DEFAULT_FLEET, generateFleet, insertFleet } from "./support/fleet.js";
import { botNodeFlags } from "./support/node-flags.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = join(ROOT, "bench", "results.json");
const REQUESTS = Number(process.env.BENCH_ACK_REQUESTS ?? 4000);
const FLEET = Number(process.env.BENCH_ACK_FLEET ?? 0);
const WARM_UP = Number(process.env.BENCH_ACK_WARM_UP ?? 500);
/** RSS idle is read this long after /healthz first answers, nothing sent: past start-up, as a running bot idles. */
const IDLE_MS = 10_000;
/** VMs added (after the ack runs, on the 30 demo VMs) for the process figures at production scale. */
const PROCESS_FLEET = Number(process.env.BENCH_PROCESS_FLEET ?? 5000);
const CONCURRENCY = 16;
const KIND_NAMES = { list: "/vm list", tick: "checkbox tick", page: "paging click", start: "Start click" } as const;
const KINDS = (process.env.BENCH_ACK_KINDS ?? "list,tick,page,start").split(",").map((name) => KIND_NAMES[name.trim() as keyof typeof KIND_NAMES]).filter(Boolean);
const DATABASES = (process.env.BENCH_ACK_DATABASES ?? "sqlite,postgresql").split(",").map((name) => name.trim());
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SIGNING_SECRET = "bench-signing-secret";
const TEAM = "T0BENCH001";
const CHANNEL = "C0BENCH001";
/** One Slack user per concurrent client, every one an admin (so a Start is allowed). */
const USERS = Array.from({ length: CONCURRENCY }, (_, index) => `U0BENCH${String(index).padStart(3, "0")}`);
const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const PAGE_SIZE = 4096; // getconf PAGESIZE

const TARGETS = {
  p99Ms: 50,
  requestsPerSecond: 400,
  cpuMsPerRequest: 2.5,
  rssIdleMiB: 150,
  rssLoadMiB: 250,
  startupMs: 1500,
};

// --- The bot's process, read from /proc -------------------------------------------------------------

function processTree(pid: number): number[] {
  const children = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return [];
    }
  })();
  return [pid, ...children.flatMap(processTree)];
}

/** utime+stime of the bot and its children, in ms. */
function cpuMs(pid: number): number {
  return processTree(pid).reduce((sum, each) => {
    try {
      const fields = readFileSync(`/proc/${each}/stat`, "utf8").split(") ")[1]!.split(" ");
      return sum + ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return sum;
    }
  }, 0);
}

/** Resident memory of the bot's process tree, in MiB. */
function rssMiB(pid: number): number {
  return processTree(pid).reduce((sum, each) => {
    try {
      return sum + (Number(readFileSync(`/proc/${each}/statm`, "utf8").split(" ")[1]) * PAGE_SIZE) / 1048576;
    } catch {
      return sum;
    }
  }, 0);
}

// --- A Slack Web API stand-in that only counts ---------------------------------------------------------

class SlackStandIn {
  private server!: Server;
  calls = 0;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.answer(request, response));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: number): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    request.on("end", () => {
      this.calls++;
      const method = request.url?.startsWith("/api/") ? request.url.slice(5).split("?")[0] : "response_url";
      const ts = `${(Date.now() / 1000).toFixed(6)}`;
      const body: Record<string, unknown> = { ok: true };
      if (method === "auth.test") Object.assign(body, { url: "https://bench.slack.com/", team: "Bench", team_id: TEAM, user: "vmbot", user_id: "U0BOTBENCH", bot_id: "B0BOTBENCH" });
      if (method === "users.info") Object.assign(body, { user: { id: "U0", name: "bench", real_name: "Bench User", profile: { display_name: "bench", email: "bench@example.com" } } });
      if (method === "chat.postEphemeral") Object.assign(body, { message_ts: ts });
      if (method === "chat.postMessage" || method === "chat.update") Object.assign(body, { channel: CHANNEL, ts, message: { ts } });
      if (method?.startsWith("conversations.")) Object.assign(body, { channel: { id: CHANNEL, is_member: true, is_channel: true } });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// --- Signed requests -----------------------------------------------------------------------------------

let sequence = 0;
const triggerId = () => `${++sequence}.${Date.now()}.${createHmac("sha1", "t").update(String(sequence)).digest("hex").slice(0, 16)}`;

function sign(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

interface Vm {
  id: number;
  name: string;
}

type Kind = (typeof KIND_NAMES)[keyof typeof KIND_NAMES];

function requestBody(kind: Kind, user: string, slack: SlackStandIn, vms: Vm[], n: number): string {
  const responseUrl = slack.responseUrl(n);
  if (kind === "/vm list") {
    return new URLSearchParams({
      token: "bench", team_id: TEAM, team_domain: "bench", channel_id: CHANNEL, channel_name: "ops", user_id: user, user_name: user.toLowerCase(),
      command: "/vm", text: "list", api_app_id: "A0BENCH001", response_url: responseUrl, trigger_id: triggerId(),
    }).toString();
  }
  const common = {
    type: "block_actions", team: { id: TEAM, domain: "bench" }, user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
    api_app_id: "A0BENCH001", token: "bench", trigger_id: triggerId(), response_url: responseUrl,
    container: { type: "message", message_ts: "1700000000.000100", channel_id: CHANNEL, is_ephemeral: true }, channel: { id: CHANNEL, name: "ops" },
  };
  const page = vms.slice(0, 10);
  const ticked = page[n % page.length]!;
  const option = (vm: Vm) => ({ text: { type: "mrkdwn", text: vm.name }, value: String(vm.id) });
  const actions = {
    "checkbox tick": [{ type: "checkboxes", action_id: "vm_list_select", block_id: `vm_row:${ticked.id}`, selected_options: [option(ticked)], action_ts: "1700000001.000000" }],
    // "Next ▶" under the first page: the list's state rides in the button's value (vm-list-state.ts).
    "paging click": [{ type: "button", action_id: "vm_list_next", block_id: "vm_list_nav", value: JSON.stringify({ q: "", first: page[0]!.id, last: page[page.length - 1]!.id }), text: { type: "plain_text", text: "Next ▶" }, action_ts: "1700000001.000000" }],
    "Start click": [{ type: "button", action_id: "vm_start", block_id: "vm_actions", value: String(vms[n % vms.length]!.id), text: { type: "plain_text", text: "Start" }, action_ts: "1700000001.000000" }],
  }[kind];
  const state = kind === "checkbox tick" ? { values: Object.fromEntries(page.map((vm) => [`vm_row:${vm.id}`, { vm_list_select: { type: "checkboxes", selected_options: vm === ticked ? [option(vm)] : [] } }])) } : { values: {} };
  const payload = { ...common, actions, state };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

// --- The bot -------------------------------------------------------------------------------------------

interface Bot {
  child: ChildProcess;
  pid: number;
  url: string;
  startupMs: number;
  output(): string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startBot(databaseUrl: string, slack: SlackStandIn, extraEnv: Record<string, string> = {}): Promise<Bot> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_ACK_CPU_PROF=<dir>: each bot writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_ACK_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_ACK_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, ...botNodeFlags(), join(ROOT, "dist", "main.js")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      VM_ADMINS: USERS.join(","),
      SEED_DEMO: "1",
      SIM_LATENCY_MS: "0",
      SIM_JITTER_MS: "0",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      ...(process.env.MAX_ACTIVE_INTERACTIONS ? { MAX_ACTIVE_INTERACTIONS: process.env.MAX_ACTIVE_INTERACTIONS } : {}),
      ...extraEnv,
    },
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (ok) break;
    if (performance.now() - started > 120_000) throw new Error(`no /healthz within 2 minutes:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { child, pid: child.pid!, url, startupMs: performance.now() - started, output: () => output };
}

async function stopBot(bot: Bot): Promise<void> {
  const exited = new Promise((resolve) => bot.child.once("exit", resolve));
  bot.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
}

/**
 * How long the bot must stay quiet for its work after the acks to count as done: a Start's tracker sleeps
 * its poll interval (2 s) before it sees the VM running and draws the final card.
 */
const QUIET_MS: Record<Kind, number> = { "/vm list": 300, "checkbox tick": 300, "paging click": 300, "Start click": 2500 };

/** Until the bot has used (almost) no CPU for `quietMs`: its background work after the acks is done. */
async function settled(pid: number, quietMs = 300): Promise<void> {
  let quiet = 0;
  let last = cpuMs(pid);
  for (let waited = 0; quiet * 100 < quietMs && waited < 60_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = cpuMs(pid);
    quiet = now - last <= 10 ? quiet + 1 : 0;
    last = now;
  }
}

interface LoadFigures {
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  failed: number;
}

/** Keep-alive sockets to the bot, one per client: node:http costs the load generator far less CPU than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One signed POST to /slack/events; resolves with the status once the whole response is read. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/slack/events`, { method: "POST", agent, headers: { ...sign(body), "content-length": Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** `count` requests of `kind` from CONCURRENCY closed-loop clients; the latency of each, in ms. */
async function drive(bot: Bot, slack: SlackStandIn, kind: Kind, vms: Vm[], count: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  await Promise.all(
    USERS.map(async (user) => {
      while (next < count) {
        const body = requestBody(kind, user, slack, vms, next++);
        const sent = performance.now();
        try {
          const status = await post(bot.url, body);
          latencies.push(performance.now() - sent);
          if (status !== 200) failed++;
        } catch {
          failed++; // a reset connection (a keep-alive socket the server closed): counted, not timed
        }
      }
    }),
  );
  return { latencies, failed };
}

async function load(bot: Bot, slack: SlackStandIn, kind: Kind, vms: Vm[], peakRss: { value: number }): Promise<LoadFigures> {
  // Warm-up, not measured: the first requests of a kind compile its code paths and query plans.
  await drive(bot, slack, kind, vms, WARM_UP);
  const sampler = setInterval(() => (peakRss.value = Math.max(peakRss.value, rssMiB(bot.pid))), 100);
  await settled(bot.pid, QUIET_MS[kind]);
  const cpuBefore = cpuMs(bot.pid);
  const started = performance.now();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const { latencies, failed } = await drive(bot, slack, kind, vms, REQUESTS);
  lag.disable();
  if (process.env.BENCH_ACK_SPREAD) console.log(`    load generator's event-loop lag: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
  await settled(bot.pid, QUIET_MS[kind]);
  // The settling wait itself (the quiet time) is not work: leave it out of the wall time.
  const wallMs = performance.now() - started - QUIET_MS[kind];
  const cpu = cpuMs(bot.pid) - cpuBefore;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
  if (process.env.BENCH_ACK_SPREAD) console.log(`    spread: ${[0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1].map((q) => `p${q * 100}=${at(q).toFixed(1)}`).join(" ")}`);
  return { p50Ms: at(0.5), p99Ms: at(0.99), requestsPerSecond: (REQUESTS * 1000) / wallMs, cpuMsPerRequest: cpu / REQUESTS, failed };
}

// --- One database --------------------------------------------------------------------------------------

interface ProcessAtScale {
  vms: number;
  startupMs: number;
  rssIdleMiB: number;
}

interface DatabaseFigures {
  /** Start-up and RSS idle once the database holds the production-scale fleet (measured after the acks). */
  atScale: ProcessAtScale;
  database: string;
  vms: number;
  firstStartMs: number;
  startupMs: number;
  rssIdleMiB: number;
  rssLoadMiB: number;
  interactions: Record<Kind, LoadFigures>;
}

async function addFleet(databaseUrl: string, count: number): Promise<void> {
  if (!count) return;
  const db = await openDatabase(databaseUrl);
  try {
    const providers = ["aws", "azure", "gcp", "oci"] as const;
    for (let offset = 0; offset < count; offset += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - offset) }, (_, index) => {
        const n = offset + index;
        return { name: `fleet-${providers[n % 4]}-${String(n).padStart(5, "0")}`, provider: providers[n % 4]!, region: "eu-west-1", status: n % 3 ? ("stopped" as const) : ("running" as const), providerResourceId: `fleet-${n}` };
      });
      await db.prisma.vm.createMany({ data: rows });
    }
  } finally {
    await db.close();
  }
}

async function listVms(databaseUrl: string): Promise<Vm[]> {
  const db = await openDatabase(databaseUrl);
  try {
    return await db.prisma.vm.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true }, take: 30 });
  } finally {
    await db.close();
  }
}

async function withSlackStandIn<T>(work: (slack: SlackStandIn) => Promise<T>): Promise<T> {
  const slack = new SlackStandIn();
  await slack.start();
  try {
    return await work(slack);
  } finally {
    await slack.close();
  }
}

/** Starts the bot, lets it idle IDLE_MS (past start-up, as a running bot idles), works with it, stops it. */
async function withIdleBot<T>(databaseUrl: string, slack: SlackStandIn, extraEnv: Record<string, string>, work: (bot: Bot, rssIdleMiB: number) => Promise<T>): Promise<T> {
  const bot = await startBot(databaseUrl, slack, extraEnv);
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return await work(bot, rssMiB(bot.pid));
  } finally {
    await stopBot(bot);
  }
}

async function measure(database: string, databaseUrl: string): Promise<DatabaseFigures> {
  return withSlackStandIn(async (slack) => {
    // First start: migrations and the demo data into the empty database.
    const first = await startBot(databaseUrl, slack);
    await stopBot(first);
    await addFleet(databaseUrl, FLEET);
    const vms = await listVms(databaseUrl);
    const figures = await withIdleBot(databaseUrl, slack, {}, async (bot, rssIdleMiB) => {
      const peak = { value: rssIdleMiB };
      const interactions = {} as Record<Kind, LoadFigures>;
      for (const kind of KINDS) {
        interactions[kind] = await load(bot, slack, kind, vms, peak);
        console.log(`  ${database} ${kind}: ${JSON.stringify(interactions[kind])}`);
      }
      return { startupMs: bot.startupMs, rssIdleMiB, rssLoadMiB: peak.value, interactions };
    });
    const atScale = await measureAtScale(databaseUrl, slack);
    return { database, vms: vms.length === 30 ? 30 + FLEET : vms.length, firstStartMs: first.startupMs, ...figures, atScale };
  });
}

/** The process at production scale: start-up to /healthz and RSS idle with PROCESS_FLEET more VMs. */
async function measureAtScale(databaseUrl: string, slack: SlackStandIn): Promise<ProcessAtScale> {
  // The benchmark's production-scale fleet (environments, groups, tags, users), in the simulated clouds too.
  const db = await openDatabase(databaseUrl);
  const vms = await insertFleet(db, generateFleet({ ...DEFAULT_FLEET, vms: PROCESS_FLEET }), { simulatedCloud: true })
    .then(() => db.prisma.vm.count())
    .finally(() => db.close());
  // Idle means idle: the 5-minutely state sync must not fall in the window by the clock's chance (a sync of
  // 5,000 VMs grows the heap: RSS about 170 MiB right after one, on PostgreSQL).
  return withIdleBot(databaseUrl, slack, { STATE_SYNC_CRON: "0 3 1 1 *" }, async (bot, rssIdleMiB) => ({ vms, startupMs: bot.startupMs, rssIdleMiB }));
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `vmbot_bench_ack_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

// --- Report --------------------------------------------------------------------------------------------

function row(figure: string, value: number, unit: string, target: number, higherIsBetter = false): string[] {
  const ratio = value / target;
  const meets = higherIsBetter ? value >= target : value < target;
  return [figure, `${value.toFixed(value < 10 ? 2 : 1)} ${unit}`, `${higherIsBetter ? ">=" : "<"} ${target} ${unit}`, `${ratio.toFixed(2)}x`, meets ? "yes" : "NO"];
}

function printTable(results: DatabaseFigures[]): void {
  const rows: string[][] = [["figure", "value", "target", "ratio", "meets"]];
  for (const result of results) {
    const label = `${result.database} (${result.vms} VMs)`;
    rows.push(row(`${label}: start-up to /healthz`, result.startupMs, "ms", TARGETS.startupMs));
    rows.push(row(`${label}: RSS idle`, result.rssIdleMiB, "MiB", TARGETS.rssIdleMiB));
    rows.push(row(`${label}: RSS under load`, result.rssLoadMiB, "MiB", TARGETS.rssLoadMiB));
    const scale = `${result.database} (${result.atScale.vms} VMs)`;
    rows.push(row(`${scale}: start-up to /healthz`, result.atScale.startupMs, "ms", TARGETS.startupMs));
    rows.push(row(`${scale}: RSS idle`, result.atScale.rssIdleMiB, "MiB", TARGETS.rssIdleMiB));
    for (const [kind, figures] of Object.entries(result.interactions)) {
      rows.push(row(`${label}: ${kind} p50`, figures.p50Ms, "ms", TARGETS.p99Ms));
      rows.push(row(`${label}: ${kind} p99`, figures.p99Ms, "ms", TARGETS.p99Ms));
      rows.push(row(`${label}: ${kind} interactions/s`, figures.requestsPerSecond, "/s", TARGETS.requestsPerSecond, true));
      rows.push(row(`${label}: ${kind} CPU per interaction`, figures.cpuMsPerRequest, "ms", TARGETS.cpuMsPerRequest));
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  for (const cells of rows) console.log(cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  "));
}

function writeResults(results: DatabaseFigures[]): void {
  // Other bench files write their own keys: read, replace ours, write back.
  const existing = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  const figure = (value: number, unit: string, target: number, higherIsBetter = false) => ({ value: Number(value.toFixed(3)), unit, target, ratio: Number((value / target).toFixed(3)), meets: higherIsBetter ? value >= target : value < target });
  existing.ackLatency = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))) },
    requestsPerKind: REQUESTS,
    concurrency: CONCURRENCY,
    databases: Object.fromEntries(
      results.map((result) => [
        result.database,
        {
          vms: result.vms,
          firstStart: figure(result.firstStartMs, "ms", TARGETS.startupMs),
          startup: figure(result.startupMs, "ms", TARGETS.startupMs),
          rssIdle: figure(result.rssIdleMiB, "MiB", TARGETS.rssIdleMiB),
          rssUnderLoad: figure(result.rssLoadMiB, "MiB", TARGETS.rssLoadMiB),
          atScale: { vms: result.atScale.vms, startup: figure(result.atScale.startupMs, "ms", TARGETS.startupMs), rssIdle: figure(result.atScale.rssIdleMiB, "MiB", TARGETS.rssIdleMiB) },
          interactions: Object.fromEntries(
            Object.entries(result.interactions).map(([kind, figures]) => [
              kind,
              {
                p50: figure(figures.p50Ms, "ms", TARGETS.p99Ms),
                p99: figure(figures.p99Ms, "ms", TARGETS.p99Ms),
                throughput: figure(figures.requestsPerSecond, "interactions/s", TARGETS.requestsPerSecond, true),
                cpuPerInteraction: figure(figures.cpuMsPerRequest, "ms", TARGETS.cpuMsPerRequest),
                failedRequests: figures.failed,
              },
            ]),
          ),
        },
      ]),
    ),
  };
  writeFileSync(RESULTS, `${JSON.stringify(existing, null, 2)}\n`);
}

// --- Main ----------------------------------------------------------------------------------------------

if (!existsSync(join(ROOT, "dist", "main.js"))) {
  console.error("dist/main.js is missing: run `npm run build` first (npm ci does)");
  process.exit(1);
}
console.log(`Ack latency: ${REQUESTS} signed requests of each kind at concurrency ${CONCURRENCY}, compiled bot (node dist/main.js)`);
const results: DatabaseFigures[] = [];
if (DATABASES.includes("sqlite")) {
  const directory = mkdtempSync(join(tmpdir(), "vmbot-bench-ack-"));
  try {
    const sqliteUrl = `file:${join(directory, "bench.db")}`;
    await applyMigrations(sqliteUrl);
    results.push(await measure("sqlite", sqliteUrl));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
const postgres = DATABASES.includes("postgresql") ? await postgresDatabase() : undefined;
if (postgres) {
  try {
    results.push(await measure("postgresql", postgres.url));
  } finally {
    await postgres.drop();
  }
} else if (DATABASES.includes("postgresql")) {
  console.log(`PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: SQLite only`);
}
printTable(results);
// Wall-time figures (latency, throughput, start-up) mean little on a machine busy with other work: say so.
console.log(`load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(", ")} on ${cpus().length} CPUs`);
writeResults(results);
console.log(`figures written to bench/results.json ("ackLatency")`);
