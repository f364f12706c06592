// Reliability: PostgreSQL restarts (pg_ctl restart -m fast) while users keep using the bot. The server is
// the test's own (the machine's shared one stays up for the other tests). Requests caught by the restart
// get a clear answer (not a crash, not an anonymous failure); the bot reconnects by itself, so later
// requests succeed without restarting it; and nothing is half-written: every VM change has its audit
// row and every audit row its change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../../src/db/migrations.js";
import { startHarness, USERS, type BotHarness } from "../../support/bot-harness.js";
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from "../../support/private-postgres.js";
import { addVms, blocksText, pollUntil } from "../../support/slack-helpers.js";

const VMS = 16;
const name = (index: number) => `vm-${String(index).padStart(3, "0")}`;

describe.runIf(privatePostgresAvailable())("Reliability: PostgreSQL restarted during traffic [postgresql]", () => {
  let pg: PrivatePostgres;
  let harness: BotHarness;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await applyMigrations(pg.url);
    harness = await startHarness("postgresql", {}, { url: pg.url, drop: async () => undefined });
  }, 120_000);
  afterAll(async () => {
    await harness?.stop().catch(() => undefined);
    pg?.stop();
  });

  /** Everything the bot told a user, as text. */
  function toldTo(user: string): string[] {
    return harness.standIn.ephemerals({ user }).map((message) => `${message.text ?? ""} ${blocksText(message.blocks)}`);
  }

  it("answers the requests caught by the restart clearly, reconnects by itself, and leaves nothing half-written", { timeout: 120_000 }, async () => {
    const { workspace, bot } = harness;
    await addVms(bot, VMS, { status: "stopped" });
    const replies: number[] = [];
    const send = async (user: string, text: string) => {
      replies.push((await workspace.command(user, "/vm", text)).status);
    };

    // Before: traffic as usual.
    await send(USERS.operator.id, `start ${name(1)}`);
    await send(USERS.viewer.id, "list");
    await harness.idle();

    // During: the server restarts while starts and lists keep coming (one every 40 ms until it is back).
    let restarted = false;
    const restart = pg.restart().then(() => {
      restarted = true;
    });
    let next = 2;
    const during: Promise<void>[] = [];
    while (!restarted && next < VMS - 2) {
      during.push(send(USERS.operator.id, `start ${name(next++)}`), send(USERS.viewer.id, "list"));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await restart;
    await Promise.all(during);
    await harness.idle();

    // After: the same bot, no restart of it, serves again.
    await send(USERS.operator.id, `start ${name(VMS)}`);
    await send(USERS.operator.id, "whoami");
    await pollUntil(async () => (await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: name(VMS) } })).status === "running", 20_000);
    await harness.standIn.waitFor(() => toldTo(USERS.operator.id).some((text) => text.includes("operator")), 10_000);
    await harness.idle();

    expect(replies.every((status) => status === 200)).toBe(true);
    const told = [...toldTo(USERS.operator.id), ...toldTo(USERS.viewer.id)];
    // Caught by the restart: told so, in words (never the anonymous ":boom:" of a bug).
    expect(told.filter((text) => text.includes(":boom:"))).toEqual([]);
    expect(told.filter((text) => text.includes("database is not answering right now")).length).toBeGreaterThan(0);

    // Nothing half-written: each intent with its operation, each status change with its audit row.
    const prisma = bot.db.prisma;
    const audit = await prisma.auditLog.findMany({ where: { action: "vm_start" } });
    const operations = await prisma.operationExecution.findMany({ include: { vms: true } });
    const history = await prisma.vmStateHistory.findMany({ where: { reason: "start requested" } });
    const detailsOf = (entry: (typeof audit)[number]) => entry.details as { operationId?: number; result?: string };
    for (const operation of operations) {
      for (const row of operation.vms) {
        expect(audit.filter((entry) => entry.outcome === "initiated" && entry.vmId === row.vmId && detailsOf(entry).operationId === operation.id)).toHaveLength(1);
      }
    }
    for (const entry of audit.filter((each) => each.outcome === "initiated")) {
      expect(operations.some((operation) => operation.id === detailsOf(entry).operationId && operation.vms.some((row) => row.vmId === entry.vmId))).toBe(true);
    }
    const accepted = audit.filter((entry) => detailsOf(entry).result === "accepted");
    for (let index = 1; index <= VMS; index++) {
      const vm = await prisma.vm.findUniqueOrThrow({ where: { name: name(index) } });
      const changes = history.filter((row) => row.vmId === vm.id).length;
      expect(accepted.filter((entry) => entry.vmId === vm.id), `${vm.name}: one audit row per status change`).toHaveLength(changes);
      if (vm.status !== "stopped") expect(changes, `${vm.name} is ${vm.status}`).toBe(1);
    }
    expect(await prisma.vm.count({ where: { status: "running" } })).toBeGreaterThanOrEqual(2);
  });
});
