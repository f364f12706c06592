import { expect, it } from "vitest";
import { UnknownVmsError, ValidationError } from "../../src/services/errors.js";
import type { OperationProgress } from "../../src/services/operation-service.js";
import { countingRegistry } from "../support/counting-provider.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

describeEachDatabase("batch VM actions", (t) => {
  it("starts a mixed batch: accepted, no-op, and a cloud failure explained by the error catalog (the raw code in the audit)", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    const stopped = await fixture.addVm("web-1", { status: "stopped", provider: "aws" });
    await fixture.addVm("web-2", { status: "running", provider: "aws" });
    const doomed = await fixture.addVm("gpu-1", { status: "stopped", provider: "aws" });
    const capacity = "Server.InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Availability Zone you requested.";
    await fixture.providers.simulator("aws").injectFault(doomed.providerResourceId, "start", capacity);

    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator, "slack_button"), "start", { names: ["web-1", "web-2", "gpu-1"] });
    const byName = Object.fromEntries(request.results.map((result) => [result.name, result]));
    expect(byName["web-2"]).toMatchObject({ outcome: "noop", message: "already running" });
    expect(byName["web-1"]).toMatchObject({ outcome: "accepted", status: "starting" });
    expect(byName["gpu-1"]).toMatchObject({ outcome: "accepted" }); // the cloud takes the call, then fails
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: stopped.id } })).status).toBe("starting");

    const seen: OperationProgress[] = [];
    const final = await fixture.services.vmActions.trackOperation(request.operationId, { onProgress: (progress) => void seen.push(progress), pollIntervalMs: 10 });
    expect(final.status).toBe("partial");
    expect(final.atTarget).toBe(2);
    expect(final.failed).toBe(1);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[0]!.inFlight).toBeGreaterThan(0);

    const gpu = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: doomed.id } });
    expect(gpu.status).toBe("error");
    const plain = "AWS has no spare capacity for this instance type in this Availability Zone right now. Try again later, or move the machine to another size or zone. (aws Server.InsufficientInstanceCapacity)";
    expect(gpu.statusMessage).toBe(plain);
    expect(final.vms.find((vm) => vm.name === "gpu-1")?.message).toBe(plain);
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { id: stopped.id } })).status).toBe("running");

    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, orderBy: { id: "asc" } });
    // The intent is on record before the cloud was asked (the no-op asked nothing), then each answer.
    expect(audit.filter((entry) => entry.outcome === "initiated").map((entry) => entry.vmName).sort()).toEqual(["gpu-1", "web-1"]);
    expect(audit.findIndex((entry) => entry.outcome === "initiated" && entry.vmName === "web-1")).toBeLessThan(
      audit.findIndex((entry) => entry.outcome === "succeeded" && entry.vmName === "web-1"),
    );
    expect(audit.filter((entry) => entry.outcome === "succeeded").map((entry) => entry.vmName).sort()).toEqual(["gpu-1", "web-1", "web-2"]);
    const failure = audit.find((entry) => entry.outcome === "failed");
    expect(failure).toMatchObject({
      vmName: "gpu-1",
      details: { phase: "completion", message: plain, providerError: { provider: "aws", code: "Server.InsufficientInstanceCapacity", category: "capacity", message: capacity } },
    });
    expect(audit.every((entry) => entry.userId === operator.userId)).toBe(true);
  });

  it("marks a VM `error` with the provider's message when a transition fails in the cloud", async () => {
    const fixture = buildFixture(t.db, { failureRate: 1 });
    const operator = await fixture.addUser("U0OPS", "operator");
    const vm = await fixture.addVm("flaky-1", { status: "stopped", provider: "gcp" });
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { ids: [vm.id] });
    expect(request.results[0]!.outcome).toBe("accepted");
    const final = await fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 10 });
    expect(final.status).toBe("failed");
    const row = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
    expect(row.status).toBe("error");
    expect(row.statusMessage).toBeTruthy();
    expect(final.vms[0]!.message).toBe(row.statusMessage);
    const history = await t.db.prisma.vmStateHistory.findMany({ where: { vmId: vm.id }, orderBy: { id: "asc" } });
    expect(history.map((entry) => entry.toStatus)).toEqual(["starting", "error"]);
  });

  it("stops and reboots, refusing a reboot of a stopped VM with a reason", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("a", { status: "running" });
    await fixture.addVm("b", { status: "stopped" });
    const reboot = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "reboot", { names: ["a", "b"] });
    expect(reboot.results.find((result) => result.name === "b")).toMatchObject({ outcome: "failed", message: expect.stringContaining("start it instead") });
    expect((await fixture.services.vmActions.trackOperation(reboot.operationId, { pollIntervalMs: 10 })).vms.find((vm) => vm.name === "a")?.status).toBe("succeeded");
    const stop = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "stop", { names: ["a"] });
    const final = await fixture.services.vmActions.trackOperation(stop.operationId, { pollIntervalMs: 10 });
    expect(final.status).toBe("succeeded");
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "a" } })).status).toBe("stopped");
  });

  it("refuses unknown VMs before acting on any", async () => {
    const fixture = buildFixture(t.db);
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("real", { status: "stopped" });
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["real", "ghost"] })).rejects.toThrow(UnknownVmsError);
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["ghost"] })).rejects.toThrow('No VM named "ghost"');
    expect((await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "real" } })).status).toBe("stopped");
    expect(await t.db.prisma.operationExecution.count()).toBe(0);
    await expect(fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", {})).rejects.toThrow(ValidationError);
  });

  it("retries throttled cloud calls and reports when the cloud keeps throttling", async () => {
    const throttled = buildFixture(t.db, { throttleRate: 1 });
    const operator = await throttled.addUser("U0OPS", "operator");
    await throttled.addVm("busy", { status: "stopped" }).catch(() => undefined);
    // registerInstance is not throttled; the start call is, on every attempt.
    const request = await throttled.services.vmActions.requestVmAction(throttled.as(operator), "start", { names: ["busy"] });
    expect(request.results[0]).toMatchObject({ outcome: "failed", message: expect.stringMatching(/rate|throttl/i) });
  });
});

describeEachDatabase("abandoned operations", (t) => {
  it("resumes an operation whose tracker died, settling its VMs once", async () => {
    let clock = new Date("2026-11-20T10:00:00Z");
    const fixture = buildFixture(t.db, { latencyMs: 0, now: () => clock });
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("orphan-1", { status: "stopped" });
    await fixture.addVm("orphan-2", { status: "stopped", provider: "aws" });
    const doomed = await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "orphan-2" } });
    await fixture.providers.simulator("aws").injectFault(doomed.providerResourceId, "start", "Server.InternalError");
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["orphan-1", "orphan-2"] });
    // Nobody tracks it (the process that asked "died"). Its lease still holds: nobody takes it over.
    const other = buildFixture(t.db, { latencyMs: 0, now: () => clock });
    expect(await other.services.vmActions.resumeAbandonedOperations()).toBe(0);
    clock = new Date("2026-11-20T10:10:00Z");
    // Two replicas resuming at once: exactly one takes it over, settling each VM and auditing each failure once.
    const [a, b] = await Promise.all([fixture.services.vmActions.resumeAbandonedOperations(), other.services.vmActions.resumeAbandonedOperations()]);
    expect(a + b).toBe(1);
    const owner = await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: request.operationId } });
    expect(owner.ownerId).toBe(a === 1 ? fixture.services.leases.ownerId : other.services.leases.ownerId);
    expect(owner.leaseExpiresAt).toBeNull(); // released once settled
    const progress = await fixture.services.operations.getProgress(request.operationId);
    expect(progress.status).toBe("partial");
    expect(await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "orphan-1" } })).toMatchObject({ status: "running" });
    expect(await t.db.prisma.auditLog.count({ where: { action: "vm_start", outcome: "failed" } })).toBe(1);
    expect(await t.db.prisma.vm.count({ where: { claimAction: { not: null } } })).toBe(0); // both VMs free again
    expect(await fixture.services.vmActions.resumeAbandonedOperations()).toBe(0);
  });
});

describeEachDatabase("taking over an operation interrupted mid-request", (t) => {
  it("only polls: a VM the cloud was asked about is followed to the end, one it never heard of fails; no call is repeated", async () => {
    let clock = new Date("2026-11-20T10:00:00Z");
    let counter!: ReturnType<typeof countingRegistry>;
    const fixture = buildFixture(t.db, { latencyMs: 0, now: () => clock, wrapProviders: (registry) => (counter = countingRegistry(registry)).registry });
    const operator = await fixture.addUser("U0OPS", "operator");
    const asked = await fixture.addVm("asked-1", { status: "stopped" });
    const unasked = await fixture.addVm("unasked-1", { status: "stopped" });
    // What a process leaves when it dies after claiming and recording the intent: pending rows, claims,
    // `initiated` entries; it had reached the cloud for asked-1 only.
    const operation = await t.db.prisma.operationExecution.create({
      data: { kind: "vm_start", status: "running", requestedById: operator.userId, ownerId: "dead-replica", heartbeatAt: clock, leaseExpiresAt: new Date(clock.getTime() + 60_000), vms: { create: [{ vmId: asked.id, targetState: "running" }, { vmId: unasked.id, targetState: "running" }] } },
    });
    await t.db.prisma.vm.updateMany({ where: { id: { in: [asked.id, unasked.id] } }, data: { claimAction: "vm_start", claimedById: operator.userId, claimOperationId: operation.id, claimedAt: clock, claimExpiresAt: new Date(clock.getTime() + 30 * 60_000) } });
    await fixture.providers.simulator("simulator").startInstance(asked.providerResourceId);

    expect(await fixture.services.vmActions.resumeAbandonedOperations()).toBe(0); // the dead owner's lease still holds
    clock = new Date("2026-11-20T10:01:01Z");
    expect(await fixture.services.vmActions.resumeAbandonedOperations()).toBe(1);

    const rows = await t.db.prisma.operationVm.findMany({ where: { operationId: operation.id }, orderBy: { vmId: "asc" } });
    expect(rows.map((row) => [row.status, row.message])).toEqual([
      ["succeeded", null],
      ["failed", "Interrupted before the cloud confirmed the request; nothing was retried. Try again."],
    ]);
    expect(counter.powerCalls()).toHaveLength(0);
    expect(await t.db.prisma.vm.findMany({ orderBy: { id: "asc" }, select: { status: true, claimAction: true } })).toEqual([
      { status: "running", claimAction: null },
      { status: "stopped", claimAction: null },
    ]);
    expect(await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operation.id } })).toMatchObject({ status: "partial", ownerId: fixture.services.leases.ownerId });
  });
});
