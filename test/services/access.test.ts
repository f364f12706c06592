// Environment access on both databases: request -> approve -> the requester may act in the environment;
// deny with a reason; the first of two concurrent decisions wins; one pending request per user, environment
// and level; requests and temporary grants expire on an injected clock, with one 24 h warning; only that
// environment's admins and the global admins decide, grant and revoke (refusals audited `denied`).
import { expect, it } from "vitest";
import type { Actor } from "../../src/services/actor.js";
import { AccessRequestDecidedError, approverDedupeKey, createAccessService } from "../../src/services/access/access-service.js";
import { ConflictError, ForbiddenError, ValidationError } from "../../src/services/errors.js";
import type { NotificationPayload } from "../../src/services/notifications/notification-kinds.js";
import { can } from "../../src/services/policy.js";
import { describeEachDatabase, type TestDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

const TEAM = "T0TEST0001";
const HOUR = 3_600_000;
const START = new Date("2026-11-30T10:00:00.000Z");

async function setUp(t: TestDatabase) {
  let clock = START;
  const changed: number[] = [];
  const fixture = buildFixture(t.db, { now: () => clock });
  // The fixture's services, with the access service told to report changes.
  const access = createAccessService({
    prisma: t.db.prisma,
    audit: fixture.services.audit,
    notifications: fixture.services.notifications,
    roleOf: () => "viewer",
    now: () => clock,
    // As services/index.ts wires it: the cached actor is dropped, and the test sees who changed.
    onAccessChanged: (userId) => {
      fixture.services.users.invalidateUser(userId);
      changed.push(userId);
    },
  });
  const vm = await fixture.addVm("demo-api", { environment: "demo" });
  await fixture.addVm("other-api", { environment: "other" });
  const demo = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "demo" } });
  const other = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "other" } });
  const admin = await fixture.addUser("U0ADMIN", "admin");
  const demoAdmin = await envAdmin(t, fixture, "U0DEMOADM", demo.id);
  const otherAdmin = await envAdmin(t, fixture, "U0OTHERADM", other.id);
  // An operator: the global role that starts VMs outside environments, and no say inside one without a grant.
  const requester = await fixture.addUser("U0REQ", "operator");
  const viewer = await fixture.addUser("U0VIEW", "viewer");
  return {
    fixture,
    access,
    changed,
    vm,
    demo,
    other,
    admin,
    demoAdmin,
    otherAdmin,
    requester,
    viewer,
    advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
    /** The actor as an interaction would see it now: grants read by users.resolveActor. */
    actor: (user: Actor) => fixture.services.users.resolveActor({ teamId: TEAM, slackUserId: user.slackUserId }, "slack_command"),
  };
}

async function envAdmin(t: TestDatabase, fixture: ReturnType<typeof buildFixture>, slackUserId: string, environmentId: number): Promise<Actor> {
  const actor = await fixture.addUser(slackUserId, "viewer");
  await t.db.prisma.user.update({ where: { id: actor.userId }, data: { envAdmin: true } });
  await t.db.prisma.environmentAccess.create({ data: { environmentId, userId: actor.userId, level: "admin" } });
  return { ...actor, envAdmin: true, environments: { [environmentId]: "admin" } };
}

function notificationsOf(t: TestDatabase, userId: number) {
  return t.db.prisma.notification.findMany({ where: { userId }, orderBy: { id: "asc" } });
}
const payloadOf = (row: { payload: unknown }) => row.payload as NotificationPayload;

describeEachDatabase("environment access", (t) => {
  it("request -> approve: the grant, audit and notifications commit together; the requester may then start a VM of the environment", async () => {
    const s = await setUp(t);
    const scope = { environmentId: s.demo.id };
    expect(can(await s.actor(s.requester), "vm_start", scope)).toBe(false);

    const request = await s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "user", durationHours: null, justification: "demo for ACME on Monday" });
    expect(request.approvers).toBe(2);
    const pending = await t.db.prisma.notification.findMany({ where: { kind: "access_request_pending" }, orderBy: { userId: "asc" } });
    // The environment's admin and the global admin; not the other environment's admin, not the requester.
    expect(pending.map((row) => row.userId).sort()).toEqual([s.admin.userId, s.demoAdmin.userId].sort());
    expect(pending.map((row) => row.dedupeKey).sort()).toEqual([approverDedupeKey(request.id, s.admin.userId), approverDedupeKey(request.id, s.demoAdmin.userId)].sort());
    expect(payloadOf(pending[0]!).actions).toEqual([
      { verb: "access_approve", value: String(request.id) },
      { verb: "access_deny", value: String(request.id) },
    ]);
    expect(payloadOf(pending[0]!).text).toContain('u0req asks for user access to demo (until revoked): "demo for ACME on Monday"');

    const decided = await s.access.decide(s.fixture.as(s.demoAdmin, "slack_button"), request.id, { approve: true });
    expect(decided).toMatchObject({ approved: true, environment: "demo", level: "user", expiresAt: null });
    const grant = await t.db.prisma.environmentAccess.findUniqueOrThrow({ where: { environmentId_userId: { environmentId: s.demo.id, userId: s.requester.userId } } });
    expect(grant).toMatchObject({ level: "user", status: "active", expiresAt: null, grantedById: s.demoAdmin.userId });
    const stored = await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({ status: "approved", decidedById: s.demoAdmin.userId });
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: { startsWith: "access_" } }, orderBy: { id: "asc" } });
    expect(audit.map((row) => `${row.action} ${row.outcome} ${row.userId}`)).toEqual([`access_requested succeeded ${s.requester.userId}`, `access_granted succeeded ${s.demoAdmin.userId}`]);
    expect(audit.every((row) => row.environmentId === s.demo.id)).toBe(true);
    // Every approver's notification now says who decided, without buttons; the requester is told.
    for (const row of await t.db.prisma.notification.findMany({ where: { kind: "access_request_pending" } })) {
      expect(payloadOf(row).resolution).toBe("Approved by u0demoadm at 10:00 UTC");
      expect(payloadOf(row).actions).toEqual([]);
    }
    const told = await notificationsOf(t, s.requester.userId);
    expect(told.map((row) => row.kind)).toEqual(["access_granted"]);
    expect(payloadOf(told[0]!).text).toBe("u0demoadm approved your request: you have user access to demo until revoked.");
    expect(s.changed).toEqual([s.requester.userId]);

    const now = await s.actor(s.requester);
    expect(now.environments[s.demo.id]).toBe("user");
    expect(can(now, "vm_start", scope)).toBe(true);
    expect(can(now, "access_grant", scope)).toBe(false);
    const started = await s.fixture.services.vmActions.requestVmAction(s.fixture.as(now), "start", { names: ["demo-api"] });
    expect(started.results).toMatchObject([{ name: "demo-api", outcome: "accepted" }]);
    expect((await s.fixture.services.vmActions.trackOperation(started.operationId, { pollIntervalMs: 10 })).status).toBe("succeeded");
  });

  it("deny asks for a reason; the requester gets it, nothing is granted", async () => {
    const s = await setUp(t);
    const request = await s.access.requestAccess(s.fixture.as(s.viewer), { environment: "demo", level: "viewer", durationHours: 48, justification: "look at the logs" });
    await expect(s.access.decide(s.fixture.as(s.admin, "slack_modal"), request.id, { approve: false, reason: " " })).rejects.toBeInstanceOf(ValidationError);
    expect((await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending");

    await s.access.decide(s.fixture.as(s.admin, "slack_modal"), request.id, { approve: false, reason: "use the staging copy" });
    expect(await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "denied", decidedById: s.admin.userId, decisionNote: "use the staging copy" });
    expect(await t.db.prisma.environmentAccess.count()).toBe(2); // the two environment admins' own
    const denial = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "access_denied" } });
    expect(denial).toMatchObject({ outcome: "succeeded", userId: s.admin.userId, environmentId: s.demo.id });
    expect(denial.details).toMatchObject({ requestId: request.id, reason: "use the staging copy", target: "U0VIEW" });
    const [told] = await notificationsOf(t, s.viewer.userId);
    expect(told).toMatchObject({ kind: "access_denied" });
    expect(payloadOf(told!)).toMatchObject({ text: "u0admin denied your request for viewer access to demo.", facts: { Reason: "use the staging copy" } });
    for (const row of await t.db.prisma.notification.findMany({ where: { kind: "access_request_pending" } })) expect(payloadOf(row).resolution).toBe("Denied by u0admin at 10:00 UTC");
    expect(s.changed).toEqual([]);
  });

  it("two concurrent decisions: exactly one wins, the other is told who decided first", async () => {
    const s = await setUp(t);
    for (const [first, second] of [
      [{ approve: true }, { approve: true }],
      [{ approve: true }, { approve: false, reason: "not now" }],
    ] as const) {
      await t.db.prisma.accessRequest.deleteMany();
      await t.db.prisma.environmentAccess.deleteMany({ where: { userId: s.requester.userId } });
      const request = await s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "user", durationHours: 12, justification: "release rehearsal" });
      const outcomes = await Promise.allSettled([
        s.access.decide(s.fixture.as(s.admin, "slack_button"), request.id, first),
        s.access.decide(s.fixture.as(s.demoAdmin, "slack_button"), request.id, second),
      ]);
      const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
      const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const stored = await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id }, include: { decidedBy: true } });
      expect(lost[0]!.reason).toBeInstanceOf(AccessRequestDecidedError);
      expect((lost[0]!.reason as Error).message).toBe(`${stored.decidedBy!.displayName} already ${stored.status} this at 10:00 UTC.`);
      const decisions = await t.db.prisma.auditLog.findMany({ where: { action: { in: ["access_granted", "access_denied"] }, outcome: "succeeded" } });
      expect(decisions.filter((row) => (row.details as { requestId: number }).requestId === request.id)).toHaveLength(1);
      expect(await t.db.prisma.environmentAccess.count({ where: { userId: s.requester.userId } })).toBe(stored.status === "approved" ? 1 : 0);
    }
  });

  it("one pending request per user, environment and level: a second (even at once) names the first", async () => {
    const s = await setUp(t);
    const ask = () => s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "user", durationHours: null, justification: "on call this week" });
    const outcomes = await Promise.allSettled([ask(), ask(), ask()]);
    const filed = outcomes.filter((outcome) => outcome.status === "fulfilled");
    expect(filed).toHaveLength(1);
    const id = (filed[0] as PromiseFulfilledResult<{ id: number }>).value.id;
    for (const outcome of outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected")) {
      expect(outcome.reason).toBeInstanceOf(ConflictError);
      expect((outcome.reason as Error).message).toContain(`You already asked for user access to demo (request #${id}`);
    }
    expect(await t.db.prisma.accessRequest.count()).toBe(1);
    // Another level is another request.
    await s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "viewer", durationHours: null, justification: "on call this week" });
    expect(await t.db.prisma.accessRequest.count()).toBe(2);
  });

  it("a request nobody decided expires after ACCESS_REQUEST_TTL_DAYS: the requester is told, the approvers' DMs say so", async () => {
    const s = await setUp(t);
    const request = await s.access.requestAccess(s.fixture.as(s.viewer), { environment: "demo", level: "user", durationHours: null, justification: "quarterly audit" });
    expect(request.expiresAt.toISOString()).toBe("2026-12-07T10:00:00.000Z");
    s.advance(7 * 24 * HOUR - 60_000);
    expect(await s.access.expireRequests()).toBe(0);
    s.advance(60_000);
    // Due, but not yet swept by the job: no one can decide it any more.
    await expect(s.access.decide(s.fixture.as(s.admin), request.id, { approve: true })).rejects.toBeInstanceOf(AccessRequestDecidedError);
    expect(await s.access.expireRequests()).toBe(1);
    expect(await s.access.expireRequests()).toBe(0);
    expect((await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("expired");
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "access_request_expired" } });
    expect(audit).toMatchObject({ source: "schedule", userId: null, environmentId: s.demo.id });
    const [told] = await notificationsOf(t, s.viewer.userId);
    expect(payloadOf(told!).text).toContain("expired after 7 days without a decision");
    for (const row of await t.db.prisma.notification.findMany({ where: { kind: "access_request_pending" } })) expect(payloadOf(row).resolution).toBe("Expired without a decision");
    await expect(s.access.decide(s.fixture.as(s.admin), request.id, { approve: true })).rejects.toThrow("This request expired without a decision.");
    // The same request may now be filed again.
    await s.access.requestAccess(s.fixture.as(s.viewer), { environment: "demo", level: "user", durationHours: null, justification: "quarterly audit" });
  });

  it("temporary access: warned once 24 h before, an extension can be asked from it, then it expires (audited, holder told)", async () => {
    const s = await setUp(t);
    const request = await s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "user", durationHours: 48, justification: "load test" });
    const decided = await s.access.decide(s.fixture.as(s.demoAdmin), request.id, { approve: true });
    expect(decided.expiresAt!.toISOString()).toBe("2026-12-02T10:00:00.000Z");
    // A short grant (shorter than the warning window) is not warned: its grant notification said when it ends.
    await s.access.grant(s.fixture.as(s.admin), { target: { slackUserId: "U0VIEW" }, environment: "demo", level: "viewer", durationHours: 12 });

    s.advance(23 * HOUR);
    expect(await s.access.warnExpiringAccess()).toBe(0);
    s.advance(2 * HOUR); // 23 h left
    expect(await s.access.warnExpiringAccess()).toBe(1);
    expect(await s.access.warnExpiringAccess()).toBe(0);
    const grant = await t.db.prisma.environmentAccess.findUniqueOrThrow({ where: { environmentId_userId: { environmentId: s.demo.id, userId: s.requester.userId } } });
    expect(grant.warnedAt).toEqual(new Date(START.getTime() + 25 * HOUR));
    const warning = await t.db.prisma.notification.findFirstOrThrow({ where: { kind: "access_expiring" } });
    expect(warning.userId).toBe(s.requester.userId);
    expect(payloadOf(warning)).toMatchObject({ text: "Your user access to demo ends in about 23 hours (2026-12-02 10:00 UTC).", actions: [{ verb: "access_extend", value: String(grant.id) }] });

    // "Request an extension": a new request for the same level and length; someone else's grant is not theirs to extend.
    await expect(s.access.requestExtension(s.fixture.as(s.viewer), grant.id)).rejects.toThrow("not yours");
    const extension = await s.access.requestExtension(s.fixture.as(await s.actor(s.requester)), grant.id);
    expect(extension).toMatchObject({ level: "user", durationHours: 48, environment: "demo" });

    s.advance(23 * HOUR); // past the end
    const lapsed = await s.actor(s.requester);
    expect(lapsed.environments[s.demo.id]).toBeUndefined(); // the policy ignores it before the job runs
    expect(can(lapsed, "vm_start", { environmentId: s.demo.id })).toBe(false);
    s.changed.length = 0;
    expect(await s.access.expireAccess()).toBe(2); // the user grant and the 12 h viewer grant
    expect(await s.access.expireAccess()).toBe(0);
    expect((await t.db.prisma.environmentAccess.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe("expired");
    const expired = await t.db.prisma.auditLog.findMany({ where: { action: "access_expired" }, orderBy: { id: "asc" } });
    expect(expired.map((row) => (row.details as { target: string }).target)).toEqual(["U0REQ", "U0VIEW"]);
    expect(expired.every((row) => row.source === "schedule" && row.environmentId === s.demo.id)).toBe(true);
    const told = (await notificationsOf(t, s.requester.userId)).filter((row) => row.kind === "access_revoked");
    expect(payloadOf(told[0]!).text).toBe("Your temporary user access to demo has ended. Ask again with /vm env request if you still need it.");
    expect(s.changed.sort()).toEqual([s.requester.userId, s.viewer.userId].sort());

    // Approving the extension gives the access back for another 48 h, and a new warning later.
    await s.access.decide(s.fixture.as(s.admin), extension.id, { approve: true });
    const renewed = await t.db.prisma.environmentAccess.findUniqueOrThrow({ where: { id: grant.id } });
    expect(renewed).toMatchObject({ status: "active", warnedAt: null });
    expect(renewed.expiresAt).toEqual(new Date(START.getTime() + 96 * HOUR));
  });

  it("only that environment's admins and the global admins decide, grant, revoke and list; refusals audited denied", async () => {
    const s = await setUp(t);
    const request = await s.access.requestAccess(s.fixture.as(s.viewer), { environment: "demo", level: "user", durationHours: null, justification: "pairing with Ada" });
    const refusals: [Actor, () => Promise<unknown>][] = [
      [s.otherAdmin, () => s.access.decide(s.fixture.as(s.otherAdmin), request.id, { approve: true })],
      [s.requester, () => s.access.decide(s.fixture.as(s.requester), request.id, { approve: false, reason: "no" })],
      [s.otherAdmin, () => s.access.grant(s.fixture.as(s.otherAdmin), { target: { slackUserId: "U0REQ" }, environment: "demo", level: "user", durationHours: null })],
      [s.demoAdmin, () => s.access.grant(s.fixture.as(s.demoAdmin), { target: { slackUserId: "U0REQ" }, environment: "other", level: "user", durationHours: null })],
      [s.otherAdmin, () => s.access.revoke(s.fixture.as(s.otherAdmin), { target: { slackUserId: "U0DEMOADM" }, environment: "demo" })],
      [s.requester, () => s.access.listAccess(s.fixture.as(s.requester), "demo")],
      [s.demoAdmin, () => s.access.setEnvAdmin(s.fixture.as(s.demoAdmin), { slackUserId: "U0REQ" }, true)],
    ];
    for (const [, attempt] of refusals) await expect(attempt()).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await t.db.prisma.auditLog.findMany({ where: { outcome: "denied" }, orderBy: { id: "asc" } });
    expect(denied.map((row) => `${row.userId} ${row.action} ${row.environmentId}`)).toEqual([
      `${s.otherAdmin.userId} access_granted ${s.demo.id}`,
      `${s.requester.userId} access_denied ${s.demo.id}`,
      `${s.otherAdmin.userId} access_granted ${s.demo.id}`,
      `${s.demoAdmin.userId} access_granted ${s.other.id}`,
      `${s.otherAdmin.userId} access_revoked ${s.demo.id}`,
      `${s.requester.userId} view ${s.demo.id}`,
      `${s.demoAdmin.userId} env_admin_changed null`,
    ]);
    expect((await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending");

    // The environment's admin grants and revokes there; the holder is told each time.
    const granted = await s.access.grant(s.fixture.as(s.demoAdmin), { target: { slackUserId: "U0REQ" }, environment: "demo", level: "user", durationHours: 7 * 24 });
    expect(granted.expiresAt!.toISOString()).toBe("2026-12-07T10:00:00.000Z");
    const listing = await s.access.listAccess(s.fixture.as(s.demoAdmin), "demo");
    expect(listing.grants.map((row) => `${row.slackUserId} ${row.level}`)).toEqual(["U0DEMOADM admin", "U0REQ user"]);
    expect(listing.pending.map((row) => `${row.id} ${row.slackUserId} ${row.level}`)).toEqual([`${request.id} U0VIEW user`]);
    const revoked = await s.access.revoke(s.fixture.as(s.admin), { target: { slackUserId: "U0REQ" }, environment: "demo" });
    expect(revoked.level).toBe("user");
    await expect(s.access.revoke(s.fixture.as(s.admin), { target: { slackUserId: "U0REQ" }, environment: "demo" })).rejects.toThrow("has no access to demo");
    expect((await notificationsOf(t, s.requester.userId)).map((row) => row.kind)).toEqual(["access_granted", "access_revoked"]);
    const changes = await t.db.prisma.auditLog.findMany({ where: { outcome: "succeeded", action: { in: ["access_granted", "access_revoked"] } }, orderBy: { id: "asc" } });
    expect(changes.map((row) => `${row.userId} ${row.action}`)).toEqual([`${s.demoAdmin.userId} access_granted`, `${s.admin.userId} access_revoked`]);

    // Admin level needs the env_admin flag, which only a global admin sets (audited).
    await expect(s.access.grant(s.fixture.as(s.demoAdmin), { target: { slackUserId: "U0REQ" }, environment: "demo", level: "admin", durationHours: null })).rejects.toThrow("is not flagged env_admin");
    const adminRequest = await s.access.requestAccess(s.fixture.as(s.requester), { environment: "demo", level: "admin", durationHours: null, justification: "run the demo team" });
    await expect(s.access.decide(s.fixture.as(s.demoAdmin), adminRequest.id, { approve: true })).rejects.toThrow("u0req is not flagged env_admin, so cannot be an environment admin");
    expect((await t.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: adminRequest.id } })).status).toBe("pending");
    await s.access.setEnvAdmin(s.fixture.as(s.admin), { slackUserId: "U0REQ" }, true);
    expect(await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "env_admin_changed", outcome: "succeeded" } })).toMatchObject({ userId: s.admin.userId, details: { target: "U0REQ", from: false, to: true } });
    await s.access.decide(s.fixture.as(s.demoAdmin), adminRequest.id, { approve: true });
    const promoted = await s.actor(s.requester);
    expect(can(promoted, "access_grant", { environmentId: s.demo.id })).toBe(true);
    expect(can(promoted, "access_grant", { environmentId: s.other.id })).toBe(false);
  });
});
