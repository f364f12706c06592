import { afterEach, expect, it, vi } from "vitest";
import { createOperationLeases } from "../../src/services/operation-lease.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

describeEachDatabase("operation leases", (t) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the creator owns the operation; others take it over only after the lease expired, exactly one of many at once", async () => {
    let clock = new Date("2026-11-20T10:00:00Z");
    const now = () => clock;
    const fixture = buildFixture(t.db, { latencyMs: 60_000, now, leaseMs: 60_000 });
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("web-1", { status: "stopped" });
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["web-1"] });
    const row = () => t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: request.operationId } });
    expect(await row()).toMatchObject({ ownerId: fixture.services.leases.ownerId, heartbeatAt: clock, leaseExpiresAt: new Date("2026-11-20T10:01:00Z") });

    const others = Array.from({ length: 5 }, (_, index) => createOperationLeases({ prisma: t.db.prisma, ownerId: `replica-${index}`, leaseMs: 60_000, now }));
    clock = new Date("2026-11-20T10:00:59Z");
    expect(await Promise.all(others.map((lease) => lease.takeOver(request.operationId)))).toEqual([false, false, false, false, false]);
    expect(await others[0]!.expired(["vm_start"])).toEqual([]);

    // A heartbeat pushes the expiry (and the VM's claim) forward.
    expect(await fixture.services.leases.renew(request.operationId)).toBe(true);
    expect((await row()).leaseExpiresAt).toEqual(new Date("2026-11-20T10:01:59Z"));
    const claimExpiry = (await t.db.prisma.vm.findUniqueOrThrow({ where: { name: "web-1" } })).claimExpiresAt!;
    expect(claimExpiry.getTime()).toBeGreaterThan(clock.getTime());

    clock = new Date("2026-11-20T10:02:00Z");
    expect(await others[0]!.expired(["vm_start"])).toEqual([request.operationId]);
    const taken = await Promise.all(others.map((lease) => lease.takeOver(request.operationId)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const winner = `replica-${taken.indexOf(true)}`;
    expect(await row()).toMatchObject({ ownerId: winner, leaseExpiresAt: new Date("2026-11-20T10:03:00Z") });
    // The old owner learns it lost the operation at its next heartbeat.
    expect(await fixture.services.leases.renew(request.operationId)).toBe(false);
    expect(await row()).toMatchObject({ ownerId: winner });

    // Operations of other kinds (an environment run) are left to the service that runs them.
    const environmentRun = await t.db.prisma.operationExecution.create({ data: { kind: "environment_start", status: "running", ownerId: "gone", leaseExpiresAt: new Date("2026-11-20T09:00:00Z") } });
    expect(await fixture.services.vmActions.resumeAbandonedOperations()).toBe(0);
    expect(await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: environmentRun.id } })).toMatchObject({ ownerId: "gone" });
    expect(await others[0]!.expired(["environment_start"])).toEqual([environmentRun.id]);
  });

  it("a tracker that loses its lease stops following, without settling what it no longer owns", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }); // the heartbeat; polling stays real
    let clock = new Date("2026-11-20T10:00:00Z");
    const now = () => clock;
    const fixture = buildFixture(t.db, { latencyMs: 60_000, now, leaseMs: 60_000, heartbeatMs: 15_000 });
    const operator = await fixture.addUser("U0OPS", "operator");
    await fixture.addVm("web-1", { status: "stopped" });
    const request = await fixture.services.vmActions.requestVmAction(fixture.as(operator), "start", { names: ["web-1"] });
    const rounds: string[] = [];
    const following = fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 5, onProgress: (progress) => void rounds.push(progress.status) });
    await vi.waitFor(() => expect(rounds.length).toBeGreaterThan(2), { interval: 5 });

    // A heartbeat while it still owns the operation keeps it.
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: request.operationId } })).ownerId).toBe(fixture.services.leases.ownerId);

    // This process stalls past its lease (the clock jumps); another replica takes over.
    clock = new Date("2026-11-20T10:05:00Z");
    const replica = createOperationLeases({ prisma: t.db.prisma, ownerId: "replica-b", leaseMs: 60_000, now });
    expect(await replica.takeOver(request.operationId)).toBe(true);
    await vi.advanceTimersByTimeAsync(15_000); // the next heartbeat fails: the tracker stops
    const last = await following;
    expect(last.status).toBe("running");
    const operation = await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: request.operationId } });
    expect(operation).toMatchObject({ status: "running", ownerId: "replica-b", finishedAt: null });
    expect(operation.leaseExpiresAt).toEqual(new Date("2026-11-20T10:06:00Z"));
  });
});
