import { expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { ConflictError, ForbiddenError } from "../../src/services/errors.js";
import type { NotificationPayload } from "../../src/services/notifications/notification-kinds.js";
import { toActor } from "../../src/services/user-service.js";
import { countingRegistry } from "../support/counting-provider.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

/** Changes the machine in the simulated cloud directly, as someone using the cloud console would. */
async function changeBehindTheBotsBack(db: Database, resourceId: string, state: "running" | "stopped") {
  await db.prisma.simulatedInstance.update({ where: { resourceId }, data: { state, targetState: null, transitionEndsAt: null } });
}

async function envAdmin(fixture: Fixture, slackUserId: string, environment: string) {
  const env = await fixture.db.prisma.environment.findUniqueOrThrow({ where: { name: environment } });
  const user = await fixture.db.prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId, role: "viewer", envAdmin: true, displayName: slackUserId.toLowerCase() } });
  await fixture.db.prisma.environmentAccess.create({ data: { environmentId: env.id, userId: user.id, level: "admin" } });
  return toActor(user, [{ environmentId: env.id, level: "admin", expiresAt: null }]);
}

async function driftNotifications(db: Database) {
  const rows = await db.prisma.notification.findMany({ where: { kind: "state_drift" }, orderBy: { id: "asc" }, include: { user: true } });
  return rows.map((row) => ({ ...row, payload: row.payload as unknown as NotificationPayload }));
}

describeEachDatabase("state sync and drift", (t) => {
  it("marks a VM changed behind the bot's back as drifted, once, and tells the environment's admins with three buttons", async () => {
    const fixture = buildFixture(t.db);
    const globalAdmin = await fixture.addUser("U0GLOBAL", "admin");
    const vm = await fixture.addVm("web-1", { status: "running", environment: "prod" });
    const admin = await envAdmin(fixture, "U0ENVADM", "prod");
    const loose = await fixture.addVm("tool-1", { status: "stopped" });
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    await changeBehindTheBotsBack(t.db, loose.providerResourceId, "running");

    const first = await fixture.services.drift.syncAll();
    expect(first).toMatchObject({ vms: 2, drifted: 2, gone: 0, corrected: 0 });

    const row = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row).toMatchObject({ status: "stopped", driftDetected: true, driftExpectedStatus: "running", providerState: "stopped" });
    expect(row.driftDetectedAt).toBeInstanceOf(Date);
    expect(row.lastSyncedAt).toBeInstanceOf(Date);
    const history = await t.db.prisma.vmStateHistory.findMany({ where: { vmId: vm.id } });
    expect(history).toEqual([expect.objectContaining({ fromStatus: "running", toStatus: "stopped", source: "state_sync" })]);
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "state_drift_detected", vmId: vm.id } });
    expect(audit).toEqual([expect.objectContaining({ source: "schedule", outcome: "succeeded", userId: null, environmentId: row.groupId ? expect.any(Number) : null, details: expect.objectContaining({ expected: "running", observed: "stopped" }) })]);

    const notes = await driftNotifications(t.db);
    // The environment's admin for the VM in prod; the global admin for the VM in no environment.
    expect(notes.map((note) => [note.user.slackUserId, (note.link as { vm: string }).vm])).toEqual([
      [admin.slackUserId, "web-1"],
      [globalAdmin.slackUserId, "tool-1"],
    ]);
    expect(notes[0]!.payload.actions).toEqual([
      { verb: "drift_adopt", value: String(vm.id) },
      { verb: "drift_revert", value: String(vm.id) },
      { verb: "drift_ignore", value: String(vm.id) },
    ]);
    expect(notes[0]!.payload.text).toContain("web-1 (environment prod) is stopped in the cloud, but the bot last knew it running");

    // The same episode is not reported again.
    const second = await fixture.services.drift.syncAll();
    expect(second.drifted).toBe(0);
    expect(await driftNotifications(t.db)).toHaveLength(2);
  });

  it("reads the clouds in one call per provider and region and never one machine at a time", async () => {
    let counting!: ReturnType<typeof countingRegistry>;
    const fixture = buildFixture(t.db, { wrapProviders: (registry) => (counting = countingRegistry(registry)).registry });
    for (const [name, provider, region] of [
      ["a1", "aws", "us-east-1"], ["a2", "aws", "us-east-1"], ["a3", "aws", "us-east-1"], ["a4", "aws", "eu-west-1"],
      ["g1", "gcp", "europe-west1"], ["g2", "gcp", "europe-west1"], ["s1", "simulator", "sim-east-1"],
    ] as const) {
      await fixture.addVm(name, { provider, region, status: "stopped" });
    }
    const result = await fixture.services.drift.syncAll();
    expect(result).toMatchObject({ vms: 7, providerCalls: 4, drifted: 0 });
    const reads = counting.calls.filter((call) => call.method.startsWith("describe") || call.method === "listInstances");
    expect(reads.map((call) => `${call.kind}:${call.method}:${(call.args[0] as string[]).length}`).sort()).toEqual([
      "aws:describeInstances:1", "aws:describeInstances:3", "gcp:describeInstances:2", "simulator:describeInstances:1",
    ]);
    expect(await t.db.prisma.vm.count({ where: { lastSyncedAt: null } })).toBe(0);
  });

  it("marks a VM the provider no longer knows as unknown, audited, without drift buttons", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addUser("U0GLOBAL", "admin");
    const vm = await fixture.addVm("gone-1", { status: "running" });
    await t.db.prisma.simulatedInstance.delete({ where: { resourceId: vm.providerResourceId } });
    const result = await fixture.services.drift.syncAll();
    expect(result).toMatchObject({ gone: 1, drifted: 0 });
    const row = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row).toMatchObject({ status: "unknown", driftDetected: false });
    expect(row.statusMessage).toContain("no longer knows");
    expect(await t.db.prisma.vmStateHistory.findFirst({ where: { vmId: vm.id } })).toMatchObject({ toStatus: "unknown", source: "state_sync" });
    expect(await t.db.prisma.auditLog.findFirst({ where: { action: "state_drift_detected" } })).toMatchObject({ details: { expected: "running", observed: "not_found" } });
    expect(await driftNotifications(t.db)).toHaveLength(0);
  });

  it("leaves a VM with work in flight to its operation, and a transition the bot asked for is not drift", async () => {
    const fixture = buildFixture(t.db);
    const busy = await fixture.addVm("busy-1", { status: "running" });
    const settling = await fixture.addVm("settling-1", { status: "stopped" });
    await t.db.prisma.vm.update({ where: { id: busy.id }, data: { claimAction: "vm_stop", claimedAt: new Date(), claimExpiresAt: new Date(Date.now() + 60_000) } });
    await changeBehindTheBotsBack(t.db, busy.providerResourceId, "stopped");
    // The bot asked for a start and lost track of it; the cloud finished it.
    await t.db.prisma.vm.update({ where: { id: settling.id }, data: { status: "starting" } });
    await changeBehindTheBotsBack(t.db, settling.providerResourceId, "running");

    const result = await fixture.services.drift.syncAll();
    expect(result.drifted).toBe(0);
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: busy.id } })).toMatchObject({ status: "running", driftDetected: false, lastSyncedAt: null });
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: settling.id } })).toMatchObject({ status: "running", driftDetected: false });
    expect(await t.db.prisma.vmStateHistory.findFirst({ where: { vmId: settling.id } })).toMatchObject({ fromStatus: "starting", toStatus: "running", source: "state_sync" });
  });

  it("Adopt keeps the cloud's state, clears the drift and resolves every admin's notification; others are refused and audited", async () => {
    const fixture = buildFixture(t.db);
    const ada = await fixture.addUser("U0ADA", "admin");
    await fixture.addUser("U0BOB", "admin");
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("web-1", { status: "running" });
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    await fixture.services.drift.syncAll();

    await expect(fixture.services.drift.adopt(fixture.as(operator, "slack_button"), vm.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.db.prisma.auditLog.findFirst({ where: { action: "state_drift_adopted", outcome: "denied" } })).toMatchObject({ userId: operator.userId, vmId: vm.id });

    expect(await fixture.services.drift.adopt(fixture.as(ada, "slack_button"), vm.id)).toEqual({ vmName: "web-1", status: "stopped" });
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "stopped", driftDetected: false, driftExpectedStatus: null, driftDetectedAt: null });
    expect(await t.db.prisma.auditLog.findFirst({ where: { action: "state_drift_adopted", outcome: "succeeded" } })).toMatchObject({ userId: ada.userId, details: { expected: "running", adopted: "stopped" } });
    const notes = await driftNotifications(t.db);
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      expect(note.payload.resolution).toBe("Adopted by u0ada: web-1 stays stopped, as the cloud has it.");
      expect(note.payload.actions).toEqual([]);
    }
    // A second click (another admin, at the same time) finds it settled.
    await expect(fixture.services.drift.adopt(fixture.as(ada, "slack_button"), vm.id)).rejects.toBeInstanceOf(ConflictError);
    expect(await fixture.services.drift.syncAll()).toMatchObject({ drifted: 0 });
  });

  it("Ignore this VM stops drift reports on it; the environment's admin may, a user of the environment may not", async () => {
    const fixture = buildFixture(t.db);
    const vm = await fixture.addVm("web-1", { status: "running", environment: "prod" });
    const admin = await envAdmin(fixture, "U0ENVADM", "prod");
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    await fixture.services.drift.syncAll();
    const globalOperator = await fixture.addUser("U0OPS", "operator");
    await expect(fixture.services.drift.ignore(fixture.as(globalOperator), vm.id)).rejects.toBeInstanceOf(ForbiddenError);

    await fixture.services.drift.ignore(fixture.as(admin, "slack_button"), vm.id);
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ driftIgnored: true, driftDetected: false });
    expect(await t.db.prisma.auditLog.findMany({ where: { action: "state_drift_ignored" }, orderBy: { id: "asc" } })).toEqual([
      expect.objectContaining({ userId: globalOperator.userId, outcome: "denied" }),
      expect.objectContaining({ userId: admin.userId, outcome: "succeeded" }),
    ]);
    expect((await driftNotifications(t.db))[0]!.payload.resolution).toContain("Ignored by u0envadm");

    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "running");
    await fixture.services.drift.syncAll();
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    expect(await fixture.services.drift.syncAll()).toMatchObject({ drifted: 0 });
    // The inventory still follows the cloud; only the reports stop.
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "stopped", driftDetected: false });
    expect(await driftNotifications(t.db)).toHaveLength(1);
  });

  it("Revert puts the VM back through the normal action path: claim, audit, cloud call", async () => {
    const fixture = buildFixture(t.db);
    const ada = await fixture.addUser("U0ADA", "admin");
    const vm = await fixture.addVm("web-1", { status: "running" });
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    await fixture.services.drift.syncAll();

    const request = await fixture.services.drift.revert(fixture.as(ada, "slack_button"), vm.id);
    expect(request.results[0]).toMatchObject({ outcome: "accepted", status: "starting" });
    const final = await fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 10 });
    expect(final.status).toBe("succeeded");
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "running", driftDetected: false, claimAction: null });
    expect((await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: vm.providerResourceId } })).state).toBe("running");
    const audit = await t.db.prisma.auditLog.findMany({ where: { vmId: vm.id, userId: ada.userId }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => `${entry.action}:${entry.outcome}`)).toEqual(["state_drift_reverted:succeeded", "vm_start:initiated", "vm_start:succeeded"]);
    expect((await driftNotifications(t.db))[0]!.payload.resolution).toBe("Reverted by u0ada: the bot asked the cloud to start web-1.");
    // Settled: a second Revert has nothing to do, and the next sync finds no drift.
    await expect(fixture.services.drift.revert(fixture.as(ada), vm.id)).rejects.toBeInstanceOf(ConflictError);
    expect(await fixture.services.drift.syncAll()).toMatchObject({ drifted: 0 });
  });

  it("ends the drift when the cloud comes back where the bot knew it", async () => {
    const fixture = buildFixture(t.db);
    await fixture.addUser("U0ADA", "admin");
    const vm = await fixture.addVm("web-1", { status: "running" });
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "stopped");
    await fixture.services.drift.syncAll();
    await changeBehindTheBotsBack(t.db, vm.providerResourceId, "running");
    await fixture.services.drift.syncAll();
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "running", driftDetected: false });
    expect((await driftNotifications(t.db))[0]!.payload.resolution).toContain("again, as the bot knew it");
  });

  it("DRIFT_POLICY=correct reverts new drift itself, but not on a VM with a claim held or in a locked environment", async () => {
    const fixture = buildFixture(t.db);
    const holder = await fixture.addUser("U0HOLDER", "admin");
    const free = await fixture.addVm("free-1", { status: "running" });
    const claimed = await fixture.addVm("claimed-1", { status: "stopped" });
    const locked = await fixture.addVm("locked-1", { status: "running", environment: "prod" });
    const prod = await t.db.prisma.environment.findUniqueOrThrow({ where: { name: "prod" } });
    await t.db.prisma.environmentLock.create({ data: { environmentId: prod.id, holderId: holder.userId, reason: "release testing" } });
    await t.db.prisma.vm.update({ where: { id: claimed.id }, data: { claimAction: "snapshot_created", claimedAt: new Date(), claimExpiresAt: new Date(Date.now() + 60_000) } });
    await changeBehindTheBotsBack(t.db, free.providerResourceId, "stopped");
    await changeBehindTheBotsBack(t.db, claimed.providerResourceId, "running");
    await changeBehindTheBotsBack(t.db, locked.providerResourceId, "stopped");

    const result = await fixture.services.drift.syncAll({ policy: "correct" });
    expect(result).toMatchObject({ drifted: 2, corrected: 1 });
    expect(result.operationIds).toHaveLength(1);
    await fixture.services.vmActions.trackOperation(result.operationIds[0]!, { pollIntervalMs: 10 });

    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: free.id } })).toMatchObject({ status: "running", driftDetected: false });
    expect((await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: free.providerResourceId } })).state).toBe("running");
    expect(await t.db.prisma.auditLog.findFirst({ where: { action: "state_drift_reverted", vmId: free.id } })).toMatchObject({ userId: null, source: "schedule" });
    // Locked: the drift stays for its admins to decide, the cloud untouched.
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: locked.id } })).toMatchObject({ status: "stopped", driftDetected: true, driftExpectedStatus: "running" });
    expect((await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: locked.providerResourceId } })).state).toBe("stopped");
    const lockedNote = (await driftNotifications(t.db)).find((note) => (note.link as { vm: string }).vm === "locked-1")!;
    expect(lockedNote.payload.resolution).toBeUndefined();
    expect(lockedNote.payload.actions).toHaveLength(3);
    // Claimed: not touched at all while the work is in flight.
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: claimed.id } })).toMatchObject({ status: "stopped", driftDetected: false });
    expect((await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: claimed.providerResourceId } })).state).toBe("running");

    // Once the work ends, the next sync finds the drift and corrects it.
    await t.db.prisma.vm.update({ where: { id: claimed.id }, data: { claimAction: null, claimedAt: null, claimExpiresAt: null } });
    const next = await fixture.services.drift.syncAll({ policy: "correct" });
    expect(next).toMatchObject({ drifted: 1, corrected: 1 });
    await fixture.services.vmActions.trackOperation(next.operationIds[0]!, { pollIntervalMs: 10 });
    expect((await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId: claimed.providerResourceId } })).state).toBe("stopped");
  });
});
