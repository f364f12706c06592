// Environment locks on both databases: one holder out of 50 concurrent attempts (the unique index decides), the
// queue hand-over on release / expiry / break, lapsing offers, the holder's reminder, and the lock's enforcement
// on VM actions, snapshots and environment runs. Time is an injected clock: no test sleeps.
import { expect, it } from "vitest";
import type { Actor, EnvironmentLevel } from "../../../src/services/actor.js";
import { ForbiddenError, ValidationError } from "../../../src/services/errors.js";
import { EnvironmentLockedError, LockOfferedError } from "../../../src/services/locks/lock-model.js";
import { toActor } from "../../../src/services/user-service.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildFixture, type Fixture } from "../../support/fixtures.js";

const HOUR = 3600_000;

/** A clock the test moves by hand. */
function testClock(start = "2026-11-30T10:00:00Z") {
  let at = new Date(start).getTime();
  return { now: () => new Date(at), advance: (ms: number) => void (at += ms) };
}

/** A user with an access level in an environment (and the env_admin flag for an admin grant), as the actor they resolve to. */
async function userWith(fixture: Fixture, slackUserId: string, grants: Record<string, EnvironmentLevel>, role: Actor["role"] = "viewer"): Promise<Actor> {
  const prisma = fixture.db.prisma;
  const user = await prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId, role, displayName: slackUserId.toLowerCase(), envAdmin: Object.values(grants).includes("admin") } });
  for (const [name, level] of Object.entries(grants)) {
    const environment = await prisma.environment.upsert({ where: { name }, update: {}, create: { name } });
    await prisma.environmentAccess.create({ data: { environmentId: environment.id, userId: user.id, level } });
  }
  const withGrants = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { environmentAccess: true } });
  return toActor(withGrants, withGrants.environmentAccess);
}

async function notificationsOf(fixture: Fixture, actor: Actor, kind: string) {
  return fixture.db.prisma.notification.findMany({ where: { userId: actor.userId, kind }, orderBy: { id: "asc" } });
}

async function historyOf(fixture: Fixture) {
  return (await fixture.db.prisma.lockHistory.findMany({ orderBy: { id: "asc" }, include: { user: true } })).map((row) => `${row.event}:${row.user?.slackUserId ?? "-"}`);
}

describeEachDatabase("environment locks", (t) => {
  it("50 concurrent lock attempts: exactly one holder, 49 refusals naming it", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addVm("demo-web", { environment: "demo" });
    const users = [];
    for (let index = 0; index < 50; index++) users.push(await userWith(fixture, `U0RACE${String(index).padStart(3, "0")}`, { demo: "user" }));
    const attempts = await Promise.allSettled(users.map((user) => fixture.services.locks.acquire(fixture.as(user), "demo", { reason: "race" })));
    const won = attempts.filter((attempt) => attempt.status === "fulfilled");
    const refused = attempts.flatMap((attempt) => (attempt.status === "rejected" ? [attempt.reason as Error] : []));
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(49);
    const holder = (won[0] as PromiseFulfilledResult<{ holder: { slackUserId: string } }>).value.holder.slackUserId;
    for (const error of refused) {
      expect(error).toBeInstanceOf(EnvironmentLockedError);
      expect((error as EnvironmentLockedError).lock.holder.slackUserId).toBe(holder);
      expect(error.message).toContain(`demo is locked by ${holder.toLowerCase()} since 2026`);
    }
    expect(await t.db.prisma.environmentLock.count()).toBe(1);
    expect(await historyOf(fixture)).toEqual([`acquired:${holder}`]);
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "lock_acquired" } });
    expect(audit.filter((entry) => entry.outcome === "succeeded")).toHaveLength(1);
    expect(audit.filter((entry) => entry.outcome === "failed")).toHaveLength(49);
    expect(audit.filter((entry) => entry.outcome === "failed").every((entry) => (entry.details as { lockedBy?: string }).lockedBy === holder)).toBe(true);
  });

  it("the environment's admins are told when it is locked and when it is free again; the one who acted is not", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addVm("demo-web", { environment: "demo" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" });
    const eve = await userWith(fixture, "U0EVE", { demo: "admin" });
    const bystander = await userWith(fixture, "U0BYS", { demo: "user" });
    await fixture.services.locks.acquire(fixture.as(ada), "demo", { reason: "release testing" });
    const [locked] = await notificationsOf(fixture, eve, "lock_acquired");
    expect(locked?.payload).toMatchObject({ text: "u0ada locked demo with no end time: release testing", facts: { Environment: "demo", Holder: "u0ada" } });
    expect(locked?.link).toEqual({ environment: "demo" });
    await fixture.services.locks.release(fixture.as(ada), "demo");
    const [unlocked] = await notificationsOf(fixture, eve, "environment_unlocked");
    expect(unlocked?.payload).toMatchObject({ text: "demo is unlocked: u0ada released the lock." });
    for (const actor of [ada, bystander]) {
      expect(await t.db.prisma.notification.count({ where: { userId: actor.userId, kind: { in: ["lock_acquired", "environment_unlocked"] } } })).toBe(0);
    }
  });

  it("release hands the lock to the first in the queue; nobody else may take it during the offer", async () => {
    const clock = testClock();
    const fixture = buildFixture(t.db, { now: clock.now });
    await fixture.addVm("demo-web", { environment: "demo" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" });
    const bob = await userWith(fixture, "U0BOB", { demo: "user" });
    const cyd = await userWith(fixture, "U0CYD", { demo: "user" });
    const locks = fixture.services.locks;
    await locks.acquire(fixture.as(ada), "demo", { reason: "release testing", durationMs: 2 * HOUR });
    await expect(locks.queue(fixture.as(ada), "demo")).rejects.toThrow(ValidationError);
    expect(await locks.queue(fixture.as(bob), "demo", "demo for a customer")).toMatchObject({ environment: "demo", position: 1, offeredUntil: null });
    expect(await locks.queue(fixture.as(cyd), "demo")).toMatchObject({ position: 2 });
    expect(await locks.queue(fixture.as(cyd), "demo")).toMatchObject({ position: 2 }); // twice is once

    clock.advance(10 * 60_000);
    await locks.release(fixture.as(ada), "demo");
    expect(await t.db.prisma.environmentLock.count()).toBe(0);
    const [offer] = await notificationsOf(fixture, bob, "lock_offered");
    expect(offer?.payload).toMatchObject({ actions: [{ verb: "lock_take", value: "demo" }] });
    expect(await notificationsOf(fixture, cyd, "lock_offered")).toHaveLength(0);
    // The offer holds: Cyd cannot jump in.
    await expect(locks.acquire(fixture.as(cyd), "demo")).rejects.toBeInstanceOf(LockOfferedError);
    expect((await locks.mine(fixture.as(bob))).queued).toEqual([expect.objectContaining({ position: 1, offeredUntil: new Date(clock.now().getTime() + 15 * 60_000) })]);

    const taken = await locks.acquire(fixture.as(bob), "demo", { reason: "demo for a customer" });
    expect(taken.holder.slackUserId).toBe("U0BOB");
    expect((await locks.mine(fixture.as(bob))).held.map((lock) => lock.environment)).toEqual(["demo"]);
    expect((await locks.mine(fixture.as(cyd))).queued).toEqual([expect.objectContaining({ environment: "demo", position: 1, offeredUntil: null })]);
    expect(await historyOf(fixture)).toEqual(["acquired:U0ADA", "queued:U0BOB", "queued:U0CYD", "released:U0ADA", "offered:U0BOB", "acquired:U0BOB"]);
    const actions = (await t.db.prisma.auditLog.findMany({ where: { action: { startsWith: "lock_" } }, orderBy: { id: "asc" } })).map((entry) => `${entry.action}:${entry.outcome}`);
    expect(actions).toEqual(["lock_acquired:succeeded", "lock_queued:succeeded", "lock_queued:succeeded", "lock_released:succeeded", "lock_acquired:failed", "lock_acquired:succeeded"]);
  });

  it("expiry (the job, or an acquire after the end) releases the lock and offers it on; a lapsed offer goes to the next", async () => {
    const clock = testClock();
    const fixture = buildFixture(t.db, { now: clock.now });
    await fixture.addVm("demo-web", { environment: "demo" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" });
    const bob = await userWith(fixture, "U0BOB", { demo: "user" });
    const cyd = await userWith(fixture, "U0CYD", { demo: "user" });
    const locks = fixture.services.locks;
    await locks.acquire(fixture.as(ada), "demo", { durationMs: HOUR });
    await locks.queue(fixture.as(bob), "demo");
    await locks.queue(fixture.as(cyd), "demo");

    clock.advance(59 * 60_000);
    expect(await locks.expireLocks()).toBe(0);
    expect(await t.db.prisma.environmentLock.count()).toBe(1);
    clock.advance(2 * 60_000);
    expect((await locks.listActive(fixture.as(cyd))).map((lock) => lock.environment)).toEqual([]); // past its end, it no longer counts
    expect(await locks.expireLocks()).toBe(1);
    expect(await t.db.prisma.environmentLock.count()).toBe(0);
    expect((await notificationsOf(fixture, ada, "lock_released"))[0]?.payload).toMatchObject({ text: expect.stringContaining("expired") });
    expect(await notificationsOf(fixture, bob, "lock_offered")).toHaveLength(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "lock_expired", outcome: "succeeded", userId: null, source: "schedule" } })).toBe(1);

    // Bob lets the offer lapse: it goes to Cyd.
    clock.advance(16 * 60_000);
    expect(await locks.expireLocks()).toBe(1);
    expect(await notificationsOf(fixture, cyd, "lock_offered")).toHaveLength(1);
    expect((await locks.mine(fixture.as(bob))).queued).toEqual([]);
    await expect(locks.acquire(fixture.as(bob), "demo")).rejects.toBeInstanceOf(LockOfferedError);
    await locks.acquire(fixture.as(cyd), "demo", { durationMs: HOUR });

    // An acquire after the end does not wait for the job: the expired lock ends on record first.
    clock.advance(2 * HOUR);
    const next = await locks.acquire(fixture.as(ada), "demo");
    expect(next.holder.slackUserId).toBe("U0ADA");
    expect(await historyOf(fixture)).toEqual([
      "acquired:U0ADA", "queued:U0BOB", "queued:U0CYD", "expired:U0ADA", "offered:U0BOB", "unqueued:U0BOB", "offered:U0CYD", "acquired:U0CYD", "expired:U0CYD", "acquired:U0ADA",
    ]);
    expect(await t.db.prisma.auditLog.count({ where: { action: "lock_expired" } })).toBe(2);
    expect((await t.db.prisma.auditLog.findMany({ where: { action: "lock_unqueued" } })).map((entry) => (entry.details as { why?: string; user?: string }))).toEqual([expect.objectContaining({ why: "offer lapsed", user: "U0BOB" })]);
  });

  it("reminds the holder once after LOCK_WARNING_HOURS with Extend / Release; extending restarts the clock", async () => {
    const clock = testClock();
    const fixture = buildFixture(t.db, { now: clock.now });
    await fixture.addVm("demo-web", { environment: "demo" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" });
    const locks = fixture.services.locks;
    await locks.acquire(fixture.as(ada), "demo", { durationMs: 8 * HOUR, reason: "load test" });
    clock.advance(3 * HOUR);
    expect(await locks.remindHolders()).toBe(0);
    clock.advance(HOUR);
    // Two replicas' jobs at once: one DM.
    const [first, second] = await Promise.all([locks.remindHolders(), locks.remindHolders()]);
    expect(first + second).toBe(1);
    expect(await locks.remindHolders()).toBe(0);
    const [reminder] = await notificationsOf(fixture, ada, "lock_expiring");
    expect(reminder?.payload).toMatchObject({ text: expect.stringContaining("held the lock on demo for 4 h"), actions: [{ verb: "lock_extend", value: "demo" }, { verb: "lock_release", value: "demo" }] });

    clock.advance(HOUR);
    const extended = await locks.extend(fixture.as(ada), "demo");
    expect(extended.expiresAt).toEqual(new Date(new Date("2026-11-30T10:00:00Z").getTime() + 12 * HOUR));
    clock.advance(3 * HOUR);
    expect(await locks.remindHolders()).toBe(0);
    clock.advance(HOUR);
    expect(await locks.remindHolders()).toBe(1);
    expect(await notificationsOf(fixture, ada, "lock_expiring")).toHaveLength(2);
    expect(await t.db.prisma.auditLog.count({ where: { action: "lock_extended", outcome: "succeeded" } })).toBe(1);
  });

  it("break needs the environment's admin (or a global admin) and a reason of 10+ characters; the holder is told", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addVm("demo-web", { environment: "demo" });
    await fixture.addVm("prod-web", { environment: "prod" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" });
    const bob = await userWith(fixture, "U0BOB", { demo: "user" });
    const otherAdmin = await userWith(fixture, "U0OTHER", { prod: "admin" });
    const demoAdmin = await userWith(fixture, "U0DEMOADM", { demo: "admin" });
    const locks = fixture.services.locks;
    await locks.acquire(fixture.as(ada), "demo", { reason: "release testing" });
    await locks.queue(fixture.as(bob), "demo");

    await expect(locks.breakLock(fixture.as(bob), "demo", "I need it for a demo now")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(locks.breakLock(fixture.as(otherAdmin), "demo", "I need it for a demo now")).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.db.prisma.auditLog.count({ where: { action: "lock_broken", outcome: "denied" } })).toBe(2);
    await expect(locks.breakLock(fixture.as(demoAdmin), "demo", "too short")).rejects.toThrow(/at least 10 characters/);
    expect(await t.db.prisma.environmentLock.count()).toBe(1);

    const broken = await locks.breakLock(fixture.as(demoAdmin), "demo", "incident 42 needs the environment");
    expect(broken.holder.slackUserId).toBe("U0ADA");
    expect(await t.db.prisma.environmentLock.count()).toBe(0);
    const [told] = await notificationsOf(fixture, ada, "lock_broken");
    expect(told?.payload).toMatchObject({ text: "u0demoadm broke your lock on demo: incident 42 needs the environment", facts: { "Broken by": "u0demoadm" } });
    expect(await notificationsOf(fixture, bob, "lock_offered")).toHaveLength(1);
    const entry = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "lock_broken", outcome: "succeeded" } });
    expect(entry).toMatchObject({ userId: demoAdmin.userId, details: { holder: "U0ADA", reason: "incident 42 needs the environment" } });

    // A global admin may break any lock.
    const root = await fixture.addUser("U0ROOT", "admin");
    await locks.acquire(fixture.as(otherAdmin), "prod");
    await locks.breakLock(fixture.as(root), "prod", "maintenance window starts");
    expect(await historyOf(fixture)).toEqual(["acquired:U0ADA", "queued:U0BOB", "broken:U0DEMOADM", "offered:U0BOB", "acquired:U0OTHER", "broken:U0ROOT"]);
  });

  it("a lock taken at the same moment as another user's start: the start either lands before the lock, or is refused", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addVm("demo-web", { environment: "demo" });
    const ada = await userWith(fixture, "U0ADA", { demo: "user" }, "operator");
    const bob = await userWith(fixture, "U0BOB", { demo: "user" }, "operator");
    for (let round = 0; round < 8; round++) {
      await t.db.prisma.vm.updateMany({ data: { status: "stopped", claimAction: null, claimedById: null, claimOperationId: null, claimedAt: null, claimExpiresAt: null } });
      const [start] = await Promise.allSettled([
        fixture.services.vmActions.requestVmAction(fixture.as(bob), "start", { names: ["demo-web"] }),
        fixture.services.locks.acquire(fixture.as(ada), "demo"),
      ]);
      const lockedAt = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "lock_acquired", outcome: "succeeded" }, orderBy: { id: "desc" } });
      if (start.status === "fulfilled") {
        // Serialized on the environment's row: the start's intent was written before the lock existed.
        const intent = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "vm_start", outcome: "initiated" }, orderBy: { id: "desc" } });
        expect(intent.id).toBeLessThan(lockedAt.id);
      } else {
        expect(start.reason).toBeInstanceOf(EnvironmentLockedError);
      }
      await fixture.services.locks.release(fixture.as(ada), "demo");
    }
  });

  it("a locked environment refuses another user's start, snapshot and environment run; the holder and its admins may", async () => {
    const fixture = buildFixture(t.db);
    const web = await fixture.addVm("demo-web", { environment: "demo" });
    const api = await fixture.addVm("demo-api", { environment: "demo" });
    await fixture.addVm("loose-vm"); // in no environment: no lock applies
    // Operators too, so the test holds whichever scope the start permission is asked in.
    const ada = await userWith(fixture, "U0ADA", { demo: "user" }, "operator");
    const bob = await userWith(fixture, "U0BOB", { demo: "user" }, "operator");
    const demoAdmin = await userWith(fixture, "U0DEMOADM", { demo: "admin" }, "operator");
    const { locks, vmActions, snapshots, environments } = fixture.services;
    await locks.acquire(fixture.as(ada), "demo", { reason: "release testing", durationMs: 2 * HOUR });

    const refusal = await vmActions.requestVmAction(fixture.as(bob), "start", { names: ["demo-web"] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EnvironmentLockedError);
    expect((refusal as Error).message).toMatch(/^demo is locked by u0ada since 2026-\d\d-\d\d \d\d:\d\d UTC \(release testing\), until .* UTC\. Only the holder/);
    const denied = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "vm_start", outcome: "denied" } });
    expect(denied).toMatchObject({ userId: bob.userId, vmName: "demo-web", details: { lockedBy: "U0ADA", lockReason: "release testing" } });
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: web.id } })).claimAction).toBeNull(); // nothing claimed
    // A batch that touches the locked environment is refused whole.
    await expect(vmActions.requestVmAction(fixture.as(bob), "start", { names: ["loose-vm", "demo-api"] })).rejects.toBeInstanceOf(EnvironmentLockedError);
    await expect(snapshots.createSnapshot(fixture.as(bob), "demo-web", "before-upgrade")).rejects.toBeInstanceOf(EnvironmentLockedError);
    expect((await t.db.prisma.auditLog.findMany({ where: { action: "snapshot_created", outcome: "denied" } })).map((entry) => (entry.details as { lockedBy?: string }).lockedBy)).toEqual(["U0ADA"]);
    await expect(environments.requestEnvironmentAction(fixture.as(bob), "demo", "start")).rejects.toBeInstanceOf(EnvironmentLockedError);
    expect(await t.db.prisma.auditLog.count({ where: { action: "environment_start", outcome: "denied" } })).toBe(1);
    // Retrying a failed run is a start too.
    const demo = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "demo" } });
    const failedRun = await t.db.prisma.operationExecution.create({ data: { kind: "environment_start", status: "failed", environmentId: demo.id, requestedById: bob.userId } });
    await expect(environments.retryFailed(fixture.as(bob), failedRun.id)).rejects.toBeInstanceOf(EnvironmentLockedError);
    expect(await t.db.prisma.auditLog.count({ where: { action: "environment_start", outcome: "denied" } })).toBe(2);
    // Outside the environment nothing changes.
    expect((await vmActions.requestVmAction(fixture.as(bob), "start", { names: ["loose-vm"] })).results[0]!.outcome).toBe("accepted");

    // The holder and the environment's admin may.
    expect((await vmActions.requestVmAction(fixture.as(ada), "start", { names: ["demo-web"] })).results[0]!.outcome).toBe("accepted");
    expect((await vmActions.requestVmAction(fixture.as(demoAdmin), "start", { ids: [api.id] })).results[0]!.outcome).toBe("accepted");
  });
});
