// Removing a VM from the inventory: admins only (refusals audited), audited as `delete`, its
// snapshots and state history kept, the cloud machine untouched, and refused while work is in flight.
import { expect, it } from "vitest";
import { ConflictError, ForbiddenError, NotFoundError } from "../../src/services/errors.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

describeEachDatabase("removing a VM from the inventory", (t) => {
  async function setup() {
    const fixture = buildFixture(t.db, { latencyMs: 1 });
    const admin = await fixture.addUser("U0ADMIN", "admin");
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("old-web", { status: "running", environment: "staging" });
    await t.db.prisma.snapshot.createMany({ data: [{ vmId: vm.id, name: "snap-a", status: "available" }, { vmId: vm.id, name: "snap-b", status: "available" }] });
    await t.db.prisma.vmStateHistory.createMany({ data: [{ vmId: vm.id, fromStatus: "stopped", toStatus: "running", reason: "test" }] });
    return { fixture, admin, operator, vm };
  }

  it("removes the VM for an admin, keeps its snapshots and history, leaves the cloud machine alone, audits `delete`", async () => {
    const { fixture, admin, vm } = await setup();
    const preview = await fixture.services.vms.previewRemoval(fixture.as(admin), { name: "old-web" });
    expect(preview).toMatchObject({ id: vm.id, name: "old-web", snapshotsKept: 2, inFlight: null });
    const removed = await fixture.services.vms.removeVm(fixture.as(admin, "slack_button"), { id: vm.id });
    expect(removed).toMatchObject({ name: "old-web", snapshotsKept: 2, providerResourceId: vm.providerResourceId });

    expect(await t.db.prisma.vm.findUnique({ where: { id: vm.id } })).toBeNull();
    const snapshots = await t.db.prisma.snapshot.findMany({ orderBy: { name: "asc" } });
    expect(snapshots.map((snapshot) => [snapshot.name, snapshot.vmId])).toEqual([["snap-a", null], ["snap-b", null]]);
    const history = await t.db.prisma.vmStateHistory.findMany();
    expect(history.map((row) => [row.toStatus, row.vmId])).toEqual([["running", null]]);
    const instance = await fixture.providers.simulator("simulator").describeInstance(vm.providerResourceId);
    expect(instance.state).toBe("running");

    const entries = await t.db.prisma.auditLog.findMany({ where: { action: "delete" }, include: { environment: true } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: "succeeded", source: "slack_button", userId: admin.userId, vmName: "old-web", environment: { name: "staging" } });
    expect(entries[0]!.details).toMatchObject({ providerResourceId: vm.providerResourceId, snapshotsKept: 2 });
  });

  it("refuses an operator (preview and removal), audited as a denied `delete`", async () => {
    const { fixture, operator, vm } = await setup();
    await expect(fixture.services.vms.previewRemoval(fixture.as(operator), { name: "old-web" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(fixture.services.vms.removeVm(fixture.as(operator, "slack_button"), { id: vm.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await t.db.prisma.vm.count()).toBe(1);
    const denied = await t.db.prisma.auditLog.findMany({ where: { userId: operator.userId } });
    expect(denied.map((entry) => [entry.action, entry.outcome, entry.vmName])).toEqual([["delete", "denied", "old-web"], ["delete", "denied", "old-web"]]);
  });

  it("refuses a VM with work in flight, naming what and who, and keeps it", async () => {
    const { fixture, admin, operator, vm } = await setup();
    await t.db.prisma.vm.update({ where: { id: vm.id }, data: { claimAction: "vm_stop", claimedById: operator.userId, claimedAt: new Date(), claimExpiresAt: new Date(Date.now() + 60_000) } });
    const attempt = fixture.services.vms.removeVm(fixture.as(admin), { name: "old-web" });
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toThrow(/old-web is busy: stop requested by u0ops at \d\d:\d\d UTC/);
    expect(await t.db.prisma.vm.count()).toBe(1);
    const failed = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "delete" } });
    expect(failed).toMatchObject({ outcome: "failed", vmId: vm.id });
    expect(failed.details).toMatchObject({ reason: "busy", inFlight: "vm_stop" });
  });

  it("removes a VM whose claim expired (the work's owner died), as a claim would take it over", async () => {
    const { fixture, admin, operator, vm } = await setup();
    await t.db.prisma.vm.update({ where: { id: vm.id }, data: { claimAction: "vm_stop", claimedById: operator.userId, claimedAt: new Date(Date.now() - 120_000), claimExpiresAt: new Date(Date.now() - 60_000) } });
    await fixture.services.vms.removeVm(fixture.as(admin), { name: "old-web" });
    expect(await t.db.prisma.vm.count()).toBe(0);
    expect(await t.db.prisma.auditLog.count({ where: { action: "delete", outcome: "succeeded" } })).toBe(1);
  });

  it("removes exactly once when many admins click at the same moment", async () => {
    const { fixture, admin, vm } = await setup();
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => fixture.services.vms.removeVm(fixture.as(admin), { id: vm.id })));
    const fulfilled = attempts.filter((attempt) => attempt.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    for (const attempt of attempts) if (attempt.status === "rejected") expect(attempt.reason).toBeInstanceOf(NotFoundError);
    expect(await t.db.prisma.auditLog.count({ where: { action: "delete", outcome: "succeeded" } })).toBe(1);
    expect(await t.db.prisma.snapshot.count()).toBe(2);
  });

  it("says so for a VM that is not in the inventory", async () => {
    const { fixture, admin } = await setup();
    await expect(fixture.services.vms.removeVm(fixture.as(admin), { name: "nope" })).rejects.toThrow(/No VM named "nope"/);
  });
});
