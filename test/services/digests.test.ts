// Audit digests on each database: the content of a seeded period, one stored period per target and tick,
// never doubled (repeated or concurrent ticks), never lost (a failed post is retried, a missed run is
// caught up on start through the real job list).
import type { WebClient } from "@slack/web-api";
import { beforeEach, expect, it } from "vitest";
import { scheduledJobs, startJobs } from "../../src/jobs/index.js";
import { createJobRunner } from "../../src/jobs/job-runner.js";
import { createLogger } from "../../src/logger.js";
import type { Actor } from "../../src/services/actor.js";
import type { AuditDigestContent, DigestPoster } from "../../src/services/digests/digest-service.js";
import { parseDigestTargets, type DigestTarget } from "../../src/services/digests/digest-targets.js";
import { ForbiddenError } from "../../src/services/errors.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

const HOUR = 3600_000;
const PERIOD_END = new Date("2026-11-30T09:00:00Z");
const PERIOD_START = new Date(PERIOD_END.getTime() - 24 * HOUR);
const at = (hoursBeforeEnd: number) => new Date(PERIOD_END.getTime() - hoursBeforeEnd * HOUR);

it("parses AUDIT_DIGEST_CHANNEL: channels, each optionally tied to one environment", () => {
  expect(parseDigestTargets("C0ALL0001, C0PROD001:env=prod")).toEqual([
    { key: "C0ALL0001", channel: "C0ALL0001" },
    { key: "C0PROD001:env=prod", channel: "C0PROD001", environment: "prod" },
  ]);
  expect(parseDigestTargets("")).toEqual([]);
  expect(() => parseDigestTargets("general")).toThrow(/not a channel id/);
  expect(() => parseDigestTargets("C0PROD001:prod")).toThrow(/CHANNEL:env=NAME/);
  expect(() => parseDigestTargets("C0PROD001,C0PROD001")).toThrow(/twice/);
});

describeEachDatabase("audit digests", (t) => {
  let fixture: Fixture;
  let alice: Actor;
  let bob: Actor;
  let vera: Actor;
  let current: Date;

  beforeEach(async () => {
    current = new Date(PERIOD_END.getTime() + 5 * 60_000);
    fixture = buildFixture(t.db, { now: () => current });
    alice = await fixture.addUser("U0ALICE001", "admin");
    bob = await fixture.addUser("U0BOB00001", "operator");
    vera = await fixture.addUser("U0VERA0001", "viewer");
  });

  async function seedPeriod() {
    const prisma = t.db.prisma;
    const prod = await prisma.environment.create({ data: { name: "prod" } });
    const staging = await prisma.environment.create({ data: { name: "staging" } });
    const row = (hours: number, actor: Actor | null, action: string, outcome: "succeeded" | "failed" | "denied", extra: { vmName?: string; environmentId?: number } = {}) => ({
      at: at(hours), userId: actor?.userId ?? null, action, outcome, source: "slack_command" as const, ...extra,
    });
    await prisma.auditLog.createMany({
      data: [
        row(30, alice, "vm_start", "succeeded", { vmName: "too-old" }), // before the period
        row(20, alice, "vm_start", "succeeded", { vmName: "web-01", environmentId: prod.id }),
        row(19, alice, "vm_stop", "succeeded", { vmName: "web-02", environmentId: staging.id }),
        row(18, alice, "vm_start", "failed", { vmName: "web-03", environmentId: prod.id }),
        row(17, bob, "reboot", "succeeded", { vmName: "db-01", environmentId: prod.id }),
        row(16, vera, "vm_stop", "denied", { vmName: "web-01", environmentId: prod.id }),
        row(15, vera, "view", "succeeded"), // looking around is not an action
        row(12, bob, "environment_start", "succeeded", { environmentId: prod.id }),
        row(6, bob, "environment_stop", "succeeded", { environmentId: staging.id }),
        row(4, null, "state_drift_detected", "succeeded", { vmName: "web-02", environmentId: staging.id }),
        row(3, null, "state_drift_detected", "succeeded", { vmName: "db-01", environmentId: prod.id }),
        row(-1, alice, "vm_stop", "denied", { vmName: "after" }), // after the period
      ],
    });
    await prisma.lockHistory.createMany({
      data: [
        { environmentId: prod.id, userId: bob.userId, event: "acquired", at: at(26) }, // acquired before, released inside: 6 h
        { environmentId: prod.id, userId: bob.userId, event: "extended", at: at(23) }, // an extension or a queue change does not end the hold
        { environmentId: prod.id, userId: alice.userId, event: "queued", at: at(22) },
        { environmentId: prod.id, userId: bob.userId, event: "released", at: at(20) },
        { environmentId: staging.id, userId: alice.userId, event: "acquired", at: at(2) }, // still held at the end: 2 h
        { environmentId: prod.id, userId: alice.userId, event: "acquired", at: at(10) }, // broken after 1 h
        { environmentId: prod.id, userId: null, event: "broken", at: at(9) },
      ],
    });
  }

  it("computes the digest of a seeded period: problems first, by user and type, environments, locks, drift", async () => {
    await seedPeriod();
    const digest = await fixture.services.digests.compute({ since: PERIOD_START, until: PERIOD_END });
    expect(digest.totalActions).toBe(9);
    expect([digest.failed, digest.denied]).toEqual([1, 1]);
    expect(digest.problems.map((entry) => [entry.action, entry.outcome, entry.slackUserId])).toEqual([
      ["vm_stop", "denied", "U0VERA0001"],
      ["vm_start", "failed", "U0ALICE001"],
    ]);
    expect(digest.byUser).toEqual([
      { slackUserId: "U0ALICE001", userName: "u0alice001", count: 3 },
      { slackUserId: "U0BOB00001", userName: "u0bob00001", count: 3 },
      { slackUserId: null, userName: null, count: 2 },
      { slackUserId: "U0VERA0001", userName: "u0vera0001", count: 1 },
    ]);
    expect(digest.byAction).toEqual([
      { action: "state_drift_detected", count: 2 },
      { action: "vm_start", count: 2 },
      { action: "vm_stop", count: 2 },
      { action: "environment_start", count: 1 },
      { action: "environment_stop", count: 1 },
      { action: "reboot", count: 1 },
    ]);
    expect(digest.environmentRuns.map((entry) => [entry.action, entry.environment])).toEqual([
      ["environment_start", "prod"],
      ["environment_stop", "staging"],
    ]);
    expect(digest.locks.map((lock) => [lock.environment, lock.slackUserId, lock.heldMs / HOUR, Boolean(lock.releasedAt)])).toEqual([
      ["prod", "U0BOB00001", 6, true],
      ["staging", "U0ALICE001", 2, false],
      ["prod", "U0ALICE001", 1, true],
    ]);
    expect(digest.driftCount).toBe(2);
    expect(digest.drift.map((entry) => entry.vmName)).toEqual(["db-01", "web-02"]);

    const prodOnly = await fixture.services.digests.compute({ since: PERIOD_START, until: PERIOD_END, environment: "prod" });
    expect(prodOnly.totalActions).toBe(6);
    expect(prodOnly.environmentRuns.map((entry) => entry.action)).toEqual(["environment_start"]);
    expect(prodOnly.locks.map((lock) => lock.environment)).toEqual(["prod", "prod"]);

    const quiet = await fixture.services.digests.compute({ since: at(100), until: at(90) });
    expect([quiet.totalActions, quiet.locks, quiet.driftCount]).toEqual([0, [], 0]);
  });

  it("answers an environment's digest to its admins (the platform's to global admins only), and audits the look and the refusal", async () => {
    await seedPeriod();
    current = PERIOD_END;
    await expect(fixture.services.digests.digestFor(fixture.as(vera), { since: PERIOD_START, environment: "prod" })).rejects.toBeInstanceOf(ForbiddenError);
    vera = await fixture.grant(vera, "prod", "admin", { envAdmin: true });
    await expect(fixture.services.digests.digestFor(fixture.as(vera), { since: PERIOD_START })).rejects.toBeInstanceOf(ForbiddenError);
    const refusals = await t.db.prisma.auditLog.findMany({ where: { userId: vera.userId, outcome: "denied", at: { gte: PERIOD_END } }, orderBy: { id: "asc" } });
    expect(refusals.map((entry) => [entry.action, entry.environmentId !== null])).toEqual([["view", true], ["view", false]]);
    const digest = await fixture.services.digests.digestFor(fixture.as(vera), { since: PERIOD_START, environment: "prod" });
    expect(digest.until).toEqual(PERIOD_END);
    expect(digest.totalActions).toBe(6);
    const looks = await t.db.prisma.auditLog.findMany({ where: { userId: vera.userId, action: "view", outcome: "succeeded", at: { gte: PERIOD_END } } });
    expect(looks.map((look) => (look.details as { surface?: string }).surface)).toEqual(["audit_digest"]);
  });

  function recordingPoster(options: { failTimes?: number } = {}) {
    const posts: { target: string; content: AuditDigestContent }[] = [];
    let failures = options.failTimes ?? 0;
    const post: DigestPoster = async (target, content) => {
      if (failures > 0) {
        failures--;
        throw new Error("slack_down");
      }
      posts.push({ target: target.key, content });
      return { ts: `1700000000.${String(posts.length).padStart(6, "0")}` };
    };
    return { posts, post };
  }

  const targets: DigestTarget[] = parseDigestTargets("C0ALL0001,C0PROD001:env=prod");

  it("stores one period per target and tick and never posts it twice, even from concurrent ticks", async () => {
    await seedPeriod();
    const { posts, post } = recordingPoster();
    const results = await Promise.all([1, 2, 3].map(() => fixture.services.digests.postDueDigests({ tick: PERIOD_END, targets, post })));
    expect(results.reduce((sum, count) => sum + count, 0)).toBe(2);
    await fixture.services.digests.postDueDigests({ tick: PERIOD_END, targets, post }); // the same tick again
    expect(posts.map((entry) => entry.target).sort()).toEqual(["C0ALL0001", "C0PROD001:env=prod"]);
    const all = posts.find((entry) => entry.target === "C0ALL0001")!.content;
    expect([all.since, all.until, all.totalActions]).toEqual([PERIOD_START, PERIOD_END, 9]);
    expect(posts.find((entry) => entry.target === "C0PROD001:env=prod")!.content.totalActions).toBe(6);
    const rows = await t.db.prisma.auditDigest.findMany({ orderBy: { target: "asc" } });
    expect(rows.map((row) => [row.target, row.status, row.periodStart, row.periodEnd, row.attempts])).toEqual([
      ["C0ALL0001", "posted", PERIOD_START, PERIOD_END, 1],
      ["C0PROD001:env=prod", "posted", PERIOD_START, PERIOD_END, 1],
    ]);
    expect(rows.every((row) => row.messageTs)).toBe(true);

    // Three days later (two ticks missed): one digest from where the last one ended.
    const later = new Date(PERIOD_END.getTime() + 72 * HOUR);
    await fixture.services.digests.postDueDigests({ tick: later, targets: targets.slice(0, 1), post });
    expect(posts.at(-1)!.content.since).toEqual(PERIOD_END);
    expect(posts.at(-1)!.content.until).toEqual(later);
  });

  it("retries a failed post on the next tick, posting it once", async () => {
    const { posts, post } = recordingPoster({ failTimes: 1 });
    await expect(fixture.services.digests.postDueDigests({ tick: PERIOD_END, targets: targets.slice(0, 1), post })).rejects.toThrow(/slack_down/);
    expect(await t.db.prisma.auditDigest.findFirstOrThrow()).toMatchObject({ status: "failed", error: "slack_down", attempts: 1 });
    expect(posts).toEqual([]);
    await Promise.all([fixture.services.digests.postPending(targets, post), fixture.services.digests.postPending(targets, post)]);
    await fixture.services.digests.postPending(targets, post);
    expect(posts).toHaveLength(1);
    expect(await t.db.prisma.auditDigest.findFirstOrThrow()).toMatchObject({ status: "posted", error: null, attempts: 2, periodEnd: PERIOD_END });
  });

  it("catches up a digest missed while the bot was down when it starts (the real job list)", async () => {
    await seedPeriod();
    const calls: Record<string, unknown>[] = [];
    const slackClient = {
      chat: {
        postMessage: async (args: Record<string, unknown>) => {
          calls.push(args);
          return { ok: true, ts: `1700000000.00000${calls.length}` };
        },
      },
    } as unknown as WebClient;
    const config = { AUDIT_DIGEST_CHANNEL: targets, AUDIT_DIGEST_CRON: "0 9 * * *", AUDIT_DIGEST_TZ: "UTC" };
    const jobs = scheduledJobs({ services: fixture.services, config, slackClient });
    expect(jobs.map((job) => job.name)).toEqual(["close-idle-sessions", "resume-abandoned-operations", "resume-abandoned-environment-runs", "prune-delivery-keys", "deliver-notifications", "expire-access-requests", "expire-access", "warn-expiring-access", "expire-locks", "remind-lock-holders", "state-sync", "prune-job-log", "audit-digest", "audit-digest-retry"]);
    current = new Date(PERIOD_END.getTime() + 3 * HOUR); // down at 09:00, up at noon
    const startUp = () => createJobRunner({ prisma: t.db.prisma, jobs, logger: createLogger("silent"), now: () => current, ownerId: `replica-${Math.random()}` });
    await Promise.all([startUp().catchUp(), startUp().catchUp()]);
    expect(calls.map((call) => call.channel).sort()).toEqual(["C0ALL0001", "C0PROD001"]);
    expect(String(calls.find((call) => call.channel === "C0ALL0001")!.text)).toContain("9 actions, 1 failed, 1 denied");
    const run = await t.db.prisma.jobRun.findFirstOrThrow({ where: { job: "audit-digest" } });
    expect(run).toMatchObject({ tick: PERIOD_END, status: "succeeded", records: 2 });
  });

  it("startJobs catches up on start, and stop() waits for the work in flight", async () => {
    const posted: string[] = [];
    const slackClient = { chat: { postMessage: async (args: { channel: string }) => (posted.push(args.channel), { ok: true, ts: "1700000000.000001" }) } } as unknown as WebClient;
    const config = { AUDIT_DIGEST_CHANNEL: targets.slice(0, 1), AUDIT_DIGEST_CRON: "0 9 * * *", AUDIT_DIGEST_TZ: "UTC" };
    const jobs = startJobs({ services: fixture.services, prisma: t.db.prisma, logger: createLogger("silent"), config, slackClient });
    await jobs.stop();
    expect(posted).toEqual(["C0ALL0001"]);
    expect(await t.db.prisma.jobRun.findFirstOrThrow({ where: { job: "audit-digest" } })).toMatchObject({ status: "succeeded", ownerId: jobs.runner.ownerId });
  });

  it("refuses the on-demand digest to no one with audit_view, and the jobs log to non-admins (audited denied)", async () => {
    await expect(fixture.services.jobs.recentRuns(fixture.as(bob))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.db.prisma.auditLog.count({ where: { userId: bob.userId, outcome: "denied", action: "view" } })).toBe(1);
    expect(await fixture.services.jobs.recentRuns(fixture.as(alice))).toEqual([]);
  });
});
