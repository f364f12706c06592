import { expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../src/services/errors.js";
import type { RestoreProgress } from "../../src/services/snapshot-service.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

async function settled(fixture: Fixture, vmName: string, snapshotId: number, actor: Parameters<Fixture["as"]>[0]) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const list = await fixture.services.snapshots.listSnapshots(fixture.as(actor), vmName);
    const snapshot = list.find((entry) => entry.id === snapshotId);
    if (!snapshot || !["creating", "deleting", "restoring"].includes(snapshot.status)) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("snapshot never settled");
}

describeEachDatabase("snapshots", (t) => {
  it("creates, lists, restores a running VM (stop, restore, start again) and deletes", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("db-1", { status: "running", provider: "azure" });

    const created = await fixture.services.snapshots.createSnapshot(fixture.as(operator, "slack_modal"), "db-1", "before-upgrade");
    expect(created).toMatchObject({ name: "before-upgrade", status: "creating", vmName: "db-1" });
    expect((await settled(fixture, "db-1", created.id, operator))?.status).toBe("available");

    const steps: RestoreProgress["step"][] = [];
    const restored = await fixture.services.snapshots.restoreSnapshot(fixture.as(operator, "slack_button"), created.id, (progress) => void steps.push(progress.step));
    expect(steps).toEqual(["stopping", "restoring", "starting", "done"]);
    expect(restored).toMatchObject({ vmName: "db-1", snapshotName: "before-upgrade", finalStatus: "running" });
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).status).toBe("running");
    const history = await t.db.prisma.vmStateHistory.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(history.map((entry) => entry.toStatus)).toEqual(["stopping", "stopped", "starting", "running"]);

    await fixture.services.snapshots.deleteSnapshot(fixture.as(operator, "slack_button"), created.id);
    expect(await settled(fixture, "db-1", created.id, operator)).toBeUndefined();
    expect(await t.db.prisma.snapshot.count()).toBe(0);

    const actions = await t.db.prisma.auditLog.findMany({ where: { action: { startsWith: "snapshot_" } }, orderBy: { id: "asc" } });
    // Each intent is on record before the cloud was asked (a restore when it begins), then its outcome.
    expect(actions.map((entry) => `${entry.action}:${entry.outcome}:${entry.source}`)).toEqual([
      "snapshot_created:initiated:slack_modal",
      "snapshot_created:succeeded:slack_modal",
      "snapshot_restored:initiated:slack_button",
      "snapshot_restored:succeeded:slack_button",
      "snapshot_deleted:initiated:slack_button",
      "snapshot_deleted:succeeded:slack_button",
    ]);
    expect(actions[2]!.details).toMatchObject({ previousStatus: "running" });
    expect(actions[3]!.details).toMatchObject({ previousStatus: "running", finalStatus: "running" });
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).claimAction).toBeNull();
  });

  it("restores a stopped VM without starting it", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("cold-1", { status: "stopped" });
    const created = await fixture.services.snapshots.createSnapshot(fixture.as(operator), "cold-1");
    expect(created.name).toMatch(/^cold-1-\d{8}-\d{4}$/);
    await settled(fixture, "cold-1", created.id, operator);
    const steps: string[] = [];
    const result = await fixture.services.snapshots.restoreSnapshot(fixture.as(operator), created.id, (progress) => void steps.push(progress.step));
    expect(steps).toEqual(["restoring", "done"]);
    expect(result.finalStatus).toBe("stopped");
  });

  it("refuses bad names, restores of unfinished snapshots, and reports cloud failures", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("x-1", { status: "stopped", provider: "oci" });
    await expect(fixture.services.snapshots.createSnapshot(fixture.as(operator), "x-1", "bad name!")).rejects.toBeInstanceOf(ValidationError);
    await expect(fixture.services.snapshots.createSnapshot(fixture.as(operator), "nope")).rejects.toThrow(/No VM named/);
    const creating = await fixture.services.snapshots.createSnapshot(fixture.as(operator), "x-1", "fresh");
    await expect(fixture.services.snapshots.restoreSnapshot(fixture.as(operator), creating.id)).rejects.toBeInstanceOf(ConflictError);

    // The cloud accepts the snapshot, then fails it: the list shows it in error.
    await fixture.providers.simulator("oci").injectFault(vm.providerResourceId, "snapshot", "LimitExceeded: snapshot quota reached");
    const doomed = await fixture.services.snapshots.createSnapshot(fixture.as(operator), "x-1", "over-quota");
    expect((await settled(fixture, "x-1", doomed.id, operator))?.status).toBe("error");

    // The cloud refuses outright (the machine was started outside the bot and is still starting):
    // the user sees the provider's words, audited as failed, and the VM is free again.
    const slowCloud = buildFixture(t.db, { latencyMs: 60_000 }); // the VM stays "starting" for the rest of the test
    await slowCloud.providers.get("oci").startInstance(vm.providerResourceId);
    const refusal = slowCloud.services.snapshots.createSnapshot(slowCloud.as(operator), "x-1", "mid-start");
    await expect(refusal).rejects.toThrow(/state|IncorrectState|Incorrect/i);
    const failed = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "snapshot_created", outcome: "failed" } });
    expect(failed.details).toMatchObject({ snapshot: "mid-start" });
    expect(String((failed.details as { message: string }).message)).toMatch(/state/i);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).claimAction).toBeNull();

    // While the bot's own start is in flight, the snapshot is refused before the cloud is asked.
    await t.db.prisma.vm.update({ where: { id: vm.id }, data: { status: "stopped" } });
    const started = await slowCloud.services.vmActions.requestVmAction(slowCloud.as(operator), "start", { ids: [vm.id] });
    expect(started.results[0]!.outcome).toBe("accepted");
    await expect(slowCloud.services.snapshots.createSnapshot(slowCloud.as(operator), "x-1", "mid-start-2")).rejects.toThrow(/x-1 is busy: start requested by u0ops at \d\d:\d\d UTC/);
    const refusals = await t.db.prisma.auditLog.findMany({ where: { action: "snapshot_created", outcome: "failed" }, orderBy: { id: "asc" } });
    expect(refusals.at(-1)).toMatchObject({ details: { snapshot: "mid-start-2", result: "busy" } });
  });
});

describeEachDatabase("snapshot restore failures", (t) => {
  it("leaves the inventory agreeing with the cloud when a restore fails", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("fragile-1", { status: "stopped", provider: "aws" });
    const created = await fixture.services.snapshots.createSnapshot(fixture.as(operator), "fragile-1", "nightly");
    await settled(fixture, "fragile-1", created.id, operator);
    await fixture.providers.simulator("aws").injectFault(vm.providerResourceId, "restore", "Client.VolumeCorrupt: the volume could not be restored");
    await expect(fixture.services.snapshots.restoreSnapshot(fixture.as(operator), created.id)).rejects.toThrow();
    const cloud = await fixture.providers.get("aws").describeSnapshot((await t.db.prisma.snapshot.findUniqueOrThrow({ where: { id: created.id } })).providerSnapshotId!);
    const row = await t.db.prisma.snapshot.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.status).toBe(cloud.state);
    const instance = await fixture.providers.get("aws").describeInstance(vm.providerResourceId);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).status).toBe(instance.state);
    expect(await t.db.prisma.auditLog.count({ where: { action: "snapshot_restored", outcome: "initiated" } })).toBe(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "snapshot_restored", outcome: "failed" } })).toBe(1);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).claimAction).toBeNull();
  });
});
