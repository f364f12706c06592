import { expect, it } from "vitest";
import { VmBusyError } from "../../src/services/errors.js";
import type { RestoreStep } from "../../src/services/snapshot-service.js";
import type { VmActionRequest } from "../../src/services/vm-action-service.js";
import { countingRegistry } from "../support/counting-provider.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture, type Fixture } from "../support/fixtures.js";

function countedFixture(db: Parameters<typeof buildFixture>[0], options: Parameters<typeof buildFixture>[1] = {}) {
  let counter: ReturnType<typeof countingRegistry> | undefined;
  const fixture = buildFixture(db, { ...options, wrapProviders: (registry) => (counter = countingRegistry(registry)).registry });
  return { fixture, counter: counter! };
}

async function availableSnapshot(fixture: Fixture, actor: Parameters<Fixture["as"]>[0], vmName: string) {
  const created = await fixture.services.snapshots.createSnapshot(fixture.as(actor), vmName, "known-good");
  for (let attempt = 0; attempt < 200; attempt++) {
    const list = await fixture.services.snapshots.listSnapshots(fixture.as(actor), vmName, { audited: false });
    if (list.find((entry) => entry.id === created.id)?.status === "available") return created;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("snapshot never became available");
}

describeEachDatabase("VM claims", (t) => {
  it("20 concurrent start/stop requests on one VM make exactly one provider call; the others name what is in flight and who asked", async () => {
    const { fixture, counter } = countedFixture(t.db);
    const alice = await fixture.addUser("U0ALICE", "operator");
    const bob = await fixture.addUser("U0BOB", "operator");
    const vm = await fixture.addVm("web-01", { status: "stopped" });

    const requests = Array.from({ length: 20 }, (_, index) =>
      fixture.services.vmActions.requestVmAction(fixture.as(index % 2 ? alice : bob, "slack_button"), index % 4 < 2 ? "start" : "stop", { ids: [vm.id] }),
    );
    const settled = await Promise.allSettled(requests);

    expect(counter.powerCalls()).toHaveLength(1);
    expect(counter.powerCalls()[0]).toMatchObject({ method: "powerInstances", args: ["start", [vm.providerResourceId]] });
    const done = settled.filter((result): result is PromiseFulfilledResult<VmActionRequest> => result.status === "fulfilled").map((result) => result.value);
    const accepted = done.filter((request) => request.results[0]!.outcome === "accepted");
    expect(accepted).toHaveLength(1);
    // Stops that ran before the start found nothing to do; nothing else got through.
    expect(done.filter((request) => request.results[0]!.outcome !== "accepted").every((request) => request.action === "stop" && request.results[0]!.outcome === "noop")).toBe(true);

    const holder = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id }, include: { claimedBy: true } });
    expect(holder).toMatchObject({ claimAction: "vm_start", claimOperationId: accepted[0]!.operationId, status: "starting" });
    const refusals = settled.filter((result): result is PromiseRejectedResult => result.status === "rejected").map((result) => result.reason as unknown);
    expect(refusals.length).toBe(20 - done.length);
    expect(refusals.length).toBeGreaterThanOrEqual(9); // every other start at least
    for (const refusal of refusals) {
      if (!(refusal instanceof VmBusyError)) throw refusal;
      const busy = (refusal as VmBusyError).busy[0]!;
      expect(busy).toMatchObject({ vmName: "web-01", action: "vm_start", claimedBy: { slackUserId: holder.claimedBy!.slackUserId } });
      expect(busy.claimedAt?.getTime()).toBe(holder.claimedAt!.getTime());
      expect((refusal as Error).message).toBe(`web-01 is busy: start requested by ${holder.claimedBy!.displayName} at ${holder.claimedAt!.toISOString().slice(11, 16)} UTC`);
    }
    // Each refusal is on record, with what it ran into.
    const refusedRows = await t.db.prisma.auditLog.findMany({ where: { outcome: "failed", vmId: vm.id } });
    expect(refusedRows).toHaveLength(refusals.length);
    expect(refusedRows.every((row) => (row.details as { result?: string }).result === "busy")).toBe(true);
    expect(await t.db.prisma.auditLog.count({ where: { outcome: "initiated", vmId: vm.id } })).toBe(1);

    // Once the start settles the VM is free: the next action goes through.
    await fixture.services.vmActions.trackOperation(accepted[0]!.operationId, { pollIntervalMs: 10 });
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "running", claimAction: null, claimExpiresAt: null });
    const stop = await fixture.services.vmActions.requestVmAction(fixture.as(alice), "stop", { ids: [vm.id] });
    expect(stop.results[0]!.outcome).toBe("accepted");
    expect(counter.powerCalls()).toHaveLength(2);
  });

  it("in a batch, a busy VM is refused with what holds it while the others go ahead in one call per provider", async () => {
    const { fixture, counter } = countedFixture(t.db, { latencyMs: 60_000 });
    const alice = await fixture.addUser("U0ALICE", "operator");
    const bob = await fixture.addUser("U0BOB", "operator");
    await fixture.addVm("a-1", { status: "stopped", provider: "aws" });
    await fixture.addVm("a-2", { status: "running", provider: "aws" });
    await fixture.addVm("a-3", { status: "running", provider: "aws" });
    await fixture.addVm("g-1", { status: "running", provider: "gcp" });
    await fixture.services.vmActions.requestVmAction(fixture.as(alice), "start", { names: ["a-1"] });

    const batch = await fixture.services.vmActions.requestVmAction(fixture.as(bob), "stop", { names: ["a-1", "a-2", "a-3", "g-1"] });
    const byName = Object.fromEntries(batch.results.map((result) => [result.name, result]));
    expect(byName["a-1"]).toMatchObject({ outcome: "busy", busy: { action: "vm_start", claimedBy: { slackUserId: "U0ALICE" } }, message: expect.stringMatching(/^a-1 is busy: start requested by u0alice at \d\d:\d\d UTC$/) });
    expect(["a-2", "a-3", "g-1"].map((name) => byName[name]!.outcome)).toEqual(["accepted", "accepted", "accepted"]);
    const stops = counter.powerCalls().filter((call) => call.args[0] === "stop");
    expect(stops.map((call) => [call.kind, call.args[1]])).toEqual(
      expect.arrayContaining([
        ["aws", expect.arrayContaining([expect.any(String), expect.any(String)])],
        ["gcp", [expect.any(String)]],
      ]),
    );
    expect(stops).toHaveLength(2);
    const progress = await fixture.services.operations.getProgress(batch.operationId);
    expect(progress.vms.find((vm) => vm.name === "a-1")).toMatchObject({ status: "failed", message: byName["a-1"]!.message });
    // a-1 still belongs to alice's start.
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "a-1" } })).toMatchObject({ claimAction: "vm_start", status: "starting" });
  });

  it("a restore in flight refuses a start, then leaves the VM running and free", async () => {
    const { fixture, counter } = countedFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const admin = await fixture.addUser("U0ADMIN", "admin");
    const vm = await fixture.addVm("db-01", { status: "running", provider: "azure" });
    const snapshot = await availableSnapshot(fixture, operator, "db-01");

    let reachedRestoring!: () => void;
    const restoring = new Promise<void>((resolve) => (reachedRestoring = resolve));
    let release!: () => void;
    const mayContinue = new Promise<void>((resolve) => (release = resolve));
    const steps: RestoreStep[] = [];
    const restore = fixture.services.snapshots.restoreSnapshot(fixture.as(operator), snapshot.id, async (progress) => {
      steps.push(progress.step);
      if (progress.step === "restoring") {
        reachedRestoring();
        await mayContinue; // hold the restore here while someone clicks Start
      }
    });
    await restoring;
    const start = fixture.services.vmActions.requestVmAction(fixture.as(admin, "slack_button"), "start", { ids: [vm.id] });
    await expect(start).rejects.toBeInstanceOf(VmBusyError);
    await expect(start).rejects.toThrow(/^db-01 is busy: snapshot restore requested by u0ops at \d\d:\d\d UTC$/);
    expect(counter.powerCalls().filter((call) => call.method === "powerInstances")).toHaveLength(0);
    release();
    await expect(restore).resolves.toMatchObject({ finalStatus: "running" });
    expect(steps).toEqual(["stopping", "restoring", "starting", "done"]);
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ status: "running", claimAction: null });
    const restoreRows = await t.db.prisma.auditLog.findMany({ where: { action: "snapshot_restored" }, orderBy: { id: "asc" } });
    expect(restoreRows.map((row) => row.outcome)).toEqual(["initiated", "succeeded"]);
  });

  it("records the intent before the cloud is asked: a call that never returns leaves the VM claimed and `initiated` on record", async () => {
    let answer!: () => void;
    const cloudAnswered = new Promise<void>((resolve) => (answer = resolve));
    let asked!: () => void;
    const cloudAsked = new Promise<void>((resolve) => (asked = resolve));
    const fixture = buildFixture(t.db, {
      wrapProviders: (registry) => ({
        ...registry,
        get(kind) {
          const provider = registry.get(kind);
          return new Proxy(provider, {
            get(target, property, receiver) {
              if (property !== "powerInstances") return Reflect.get(target, property, receiver) as unknown;
              return async (...args: Parameters<typeof provider.powerInstances>) => {
                asked();
                await cloudAnswered; // the process "hangs" (or dies) inside the cloud call
                return target.powerInstances(...args);
              };
            },
          });
        },
      }),
    });
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("web-01", { status: "stopped" });
    const request = fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { ids: [vm.id] });
    await cloudAsked;
    const trace = await t.db.prisma.auditLog.findMany({ where: { vmId: vm.id } });
    expect(trace.map((entry) => entry.outcome)).toEqual(["initiated"]);
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } })).toMatchObject({ claimAction: "vm_start", status: "stopped" });
    expect((await t.db.prisma.operationVm.findFirstOrThrow({ where: { vmId: vm.id } })).status).toBe("pending");
    answer();
    expect((await request).results[0]!.outcome).toBe("accepted");
    expect((await t.db.prisma.auditLog.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } })).map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
  });

  it("an expired claim may be taken over; a live one may not", async () => {
    let clock = new Date("2026-11-20T10:00:00Z");
    const fixture = buildFixture(t.db, { latencyMs: 60_000, now: () => clock });
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("stuck-1", { status: "stopped" });
    const created = await fixture.services.snapshots.createSnapshot(fixture.as(operator), "stuck-1", "one");
    expect(created.status).toBe("creating");
    // Simulate a process that died holding a short claim: still live, then expired.
    await t.db.prisma.vm.update({ where: { id: vm.id }, data: { claimAction: "snapshot_created", claimedById: operator.userId, claimedAt: clock, claimExpiresAt: new Date(clock.getTime() + 60_000) } });
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { ids: [vm.id] })).rejects.toThrow(/stuck-1 is busy: snapshot requested by u0ops at 10:00 UTC/);
    clock = new Date("2026-11-20T10:02:00Z");
    const start = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { ids: [vm.id] });
    expect(start.results[0]!.outcome).toBe("accepted");
  });
});
