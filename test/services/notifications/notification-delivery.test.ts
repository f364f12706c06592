// Durable delivery of notifications by DM, against the Slack Web API stand-in (spec-checked) and a real
// database: a DM that fails (rate limited with Retry-After, or Slack answering an error) stays pending with its
// attempt counted and is delivered by the next run once its backoff passed, exactly once; two service instances
// (replicas, each with its own owner id and, on PostgreSQL, its own connection pool) delivering at the same
// time send each notification once; a kind whose DM the reader turned off is not sent but still listed.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../../../src/db/database.js";
import { SlackWebApiStandIn, loadSlackSpecValidator } from "../../../src/playground/slack/index.js";
import type { RequestContext } from "../../../src/services/actor.js";
import { createAuditService } from "../../../src/services/audit-service.js";
import { createNotificationService, type NotifyInput } from "../../../src/services/notifications/notification-service.js";
import type { PrismaClient } from "../../../src/services/prisma-types.js";
import { toActor } from "../../../src/services/user-service.js";
import { slackNotificationSender } from "../../../src/slack/notification-sender.js";
import { SLACK_API_SPEC_PATH } from "../../playground/slack/spec-path.js";
import { describeEachDatabase } from "../../support/databases.js";

const READERS = ["U0READER01", "U0READER02", "U0READER03"];
const START = new Date("2026-11-30T10:00:00Z");

describeEachDatabase("notification delivery", (t) => {
  let standIn: SlackWebApiStandIn;
  let clock: Date;

  beforeAll(async () => {
    standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH) });
    READERS.forEach((id, index) => standIn.addUser({ id, name: `reader${index}` }));
  });
  afterEach(() => {
    expect(standIn.violations).toEqual([]);
    standIn.reset();
  });
  afterAll(() => standIn.close());

  function service(options: { ownerId?: string; prisma?: PrismaClient } = {}) {
    clock ??= START;
    const prisma = options.prisma ?? t.db.prisma;
    return createNotificationService({ prisma, audit: createAuditService(prisma), ownerId: options.ownerId ?? "replica-a", now: () => clock });
  }
  const sender = () => slackNotificationSender({ botToken: standIn.botToken, apiUrl: standIn.apiUrl });

  async function reader(slackUserId = READERS[0]!): Promise<RequestContext> {
    const user = await t.db.prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId, role: "viewer", displayName: slackUserId } });
    return { actor: toActor(user), source: "slack_command" };
  }

  const failure = (userId: number, text = "Start of web-1 failed: quota exceeded"): NotifyInput => ({ userId, kind: "vm_action_failed", payload: { text } });

  /** The successful chat.postMessage calls whose text carries `marker`. */
  const postedWith = (marker: string) => standIn.callsTo("chat.postMessage").filter((call) => call.ok && String(call.args.text).includes(marker));

  it.each([
    { fault: { error: "ratelimited", retryAfter: 120 }, waitMs: 120_000, error: /rate/i },
    { fault: { error: "internal_error" }, waitMs: 30_000, error: /internal_error/ },
  ])("a DM that fails ($fault.error) stays pending, is retried after its backoff and is delivered once", async ({ fault, waitMs, error }) => {
    clock = START;
    const me = await reader();
    const notifications = service();
    await notifications.notify(failure(me.actor.userId));
    standIn.failNext("chat.postMessage", fault);
    notifications.startDelivery(sender());

    expect(await notifications.deliverDue()).toBe(0);
    const pending = await t.db.prisma.notification.findFirstOrThrow();
    expect(pending).toMatchObject({ status: "pending", attempts: 1, deliveryLeaseUntil: null, dmTs: null });
    expect(pending.error).toMatch(error);
    expect(pending.nextAttemptAt).toEqual(new Date(START.getTime() + waitMs));

    // Not before its time: the next run leaves it alone.
    clock = new Date(START.getTime() + waitMs - 1000);
    expect(await notifications.deliverDue()).toBe(0);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(1);

    clock = new Date(START.getTime() + waitMs);
    await notifications.deliverDue();
    const sent = await t.db.prisma.notification.findFirstOrThrow();
    expect(sent).toMatchObject({ status: "sent", attempts: 2, error: null, dmChannel: standIn.dmChannel(me.actor.slackUserId).id });
    expect(standIn.callsTo("chat.postMessage").map((call) => call.error ?? "ok")).toEqual([fault.error, "ok"]);
    const dm = standIn.conversation(standIn.dmChannel(me.actor.slackUserId).id);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.ts).toBe(sent.dmTs);
    expect(dm[0]!.text).toContain("Start of web-1 failed: quota exceeded");

    // Delivered is final: later runs send nothing more.
    clock = new Date(clock.getTime() + 3_600_000);
    await notifications.deliverDue();
    expect(postedWith("quota exceeded")).toHaveLength(1);
    await notifications.stopDelivery();
  });

  it("gives up after the last attempt (failed) and keeps it listed for its reader", async () => {
    clock = START;
    const me = await reader();
    const notifications = createNotificationService({ prisma: t.db.prisma, audit: createAuditService(t.db.prisma), ownerId: "replica-a", now: () => clock, settings: { maxAttempts: 2, backoffMs: 1000 } });
    await notifications.notify(failure(me.actor.userId));
    standIn.failNext("conversations.open", { error: "internal_error" });
    standIn.failNext("conversations.open", { error: "internal_error" });
    notifications.startDelivery(sender());
    await notifications.deliverDue();
    clock = new Date(START.getTime() + 1000);
    await notifications.deliverDue();
    expect(await t.db.prisma.notification.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 2 });
    clock = new Date(START.getTime() + 3_600_000);
    await notifications.deliverDue();
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(0);
    const { items, unread } = await notifications.list(me);
    expect(unread).toBe(1);
    expect(items.map((item) => [item.payload.text, item.delivered])).toEqual([["Start of web-1 failed: quota exceeded", false]]);
    await notifications.stopDelivery();
  });

  it("two replicas delivering at the same time many times send each notification exactly once", async () => {
    clock = START;
    const readers = await Promise.all(READERS.map((id) => reader(id)));
    const count = 60;
    const seed = service();
    await seed.notify(Array.from({ length: count }, (_, index) => failure(readers[index % readers.length]!.actor.userId, `Start of vm-${index} failed [n-${String(index).padStart(3, "0")}]`)));
    // On PostgreSQL each replica has its own connection pool, as two processes would; SQLite is one process.
    const second = t.db.dialect === "postgresql" ? await openDatabase(t.db.url) : undefined;
    try {
      const a = service({ ownerId: "replica-a" });
      const b = service({ ownerId: "replica-b", prisma: second?.prisma });
      a.startDelivery(sender());
      b.startDelivery(sender());
      // Slack answers slowly now and then, so both replicas hold claims at once.
      for (let index = 0; index < 10; index++) standIn.failNext("chat.postMessage", { delayMs: 30 });
      await Promise.all(Array.from({ length: 8 }, () => [a.deliverDue(), b.deliverDue()]).flat());
      await Promise.all([a.stopDelivery(), b.stopDelivery()]);
    } finally {
      await second?.close();
    }
    const rows = await t.db.prisma.notification.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(Array(count).fill("sent"));
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.deliveryOwner))).toEqual(new Set(["replica-a", "replica-b"]));
    for (let index = 0; index < count; index++) expect(postedWith(`[n-${String(index).padStart(3, "0")}]`)).toHaveLength(1);
    expect(standIn.callsTo("chat.postMessage")).toHaveLength(count);
  });

  it("a row whose owner died mid-attempt is left alone until its lease ran out, then another replica delivers it once", async () => {
    clock = START;
    const me = await reader();
    const a = service({ ownerId: "replica-a" });
    await a.notify(failure(me.actor.userId));
    // Replica A claimed it and died before recording anything: its lease runs out, B takes it over.
    await t.db.prisma.notification.updateMany({ data: { deliveryOwner: "replica-a", deliveryLeaseUntil: new Date(START.getTime() + 60_000), attempts: 1 } });
    const b = service({ ownerId: "replica-b" });
    b.startDelivery(sender());
    expect(await b.deliverDue()).toBe(0); // still A's
    clock = new Date(START.getTime() + 60_001);
    await b.deliverDue();
    expect(await t.db.prisma.notification.findFirstOrThrow()).toMatchObject({ status: "sent", attempts: 2, deliveryOwner: "replica-b" });
    expect(postedWith("quota exceeded")).toHaveLength(1);
    await b.stopDelivery();
  });

  it("a kind whose DM the reader turned off is not sent, but listed; other kinds still come", async () => {
    clock = START;
    const me = await reader();
    const notifications = service();
    await notifications.setPreference(me, "vm_action_failed", false);
    expect((await notifications.preferences(me)).find((preference) => preference.kind === "vm_action_failed")?.dm).toBe(false);
    await notifications.notify([failure(me.actor.userId), { userId: me.actor.userId, kind: "dependency_blocked", payload: { text: "Your start of api was not sent [blocked]" } }]);
    notifications.startDelivery(sender());
    await notifications.deliverDue();
    expect(postedWith("quota exceeded")).toHaveLength(0);
    expect(postedWith("[blocked]")).toHaveLength(1);
    const { items, unread } = await notifications.list(me);
    expect(unread).toBe(2);
    expect(items.map((item) => [item.kind, item.delivered])).toEqual([
      ["dependency_blocked", true],
      ["vm_action_failed", false],
    ]);
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "notification_preference_changed" } });
    expect(JSON.parse(JSON.stringify(audit.details))).toEqual({ kind: "vm_action_failed", dm: false });
    await notifications.stopDelivery();
  });

  it("mark read, dismiss and mark all read touch only the reader's own notifications", async () => {
    clock = START;
    const me = await reader();
    const other = await reader(READERS[1]);
    const notifications = service();
    await notifications.notify([failure(me.actor.userId, "first"), failure(me.actor.userId, "second"), failure(other.actor.userId, "theirs")]);
    const [first, second] = (await notifications.list(me)).items.reverse();
    const theirs = (await notifications.list(other)).items[0]!;
    await expect(notifications.markRead(me, theirs.id)).rejects.toThrow(/not yours/);
    await expect(notifications.dismiss(me, theirs.id)).rejects.toThrow(/not yours/);
    await notifications.markRead(me, first!.id);
    expect((await notifications.list(me, { unread: true })).items.map((item) => item.payload.text)).toEqual(["second"]);
    await notifications.dismiss(me, second!.id);
    expect((await notifications.list(me)).items.map((item) => item.payload.text)).toEqual(["first"]);
    await notifications.markRead(me, "all");
    expect((await notifications.list(me)).unread).toBe(0);
    expect((await notifications.list(other)).unread).toBe(1);
    await expect(notifications.setPreference(me, "no_such_kind", false)).rejects.toThrow(/No notification kind/);
  });
});
