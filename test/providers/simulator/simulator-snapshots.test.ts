import { expect, it } from "vitest";
import { CloudProviderError } from "../../../src/providers/cloud-provider.js";
import { SimulatorProvider } from "../../../src/providers/simulator/simulator-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { testClock } from "./test-clock.js";

describeEachDatabase("SimulatorProvider snapshots", (t) => {
  const clock = testClock();
  const simulator = (kind: "aws" | "gcp" | "simulator" = "simulator") =>
    new SimulatorProvider({ prisma: t.db.prisma, kind, latencyMs: 2000, jitterMs: 0, failureRate: 0, throttleRate: 0, now: clock.now });

  it("creates, restores (only while stopped) and deletes a snapshot", async () => {
    const provider = simulator("aws");
    const { resourceId } = await provider.registerInstance({ name: "db-1", region: "us-east-1", state: "running", details: { diskGb: 120 } });

    const created = await provider.createSnapshot(resourceId, "before upgrade");
    expect(created).toMatchObject({ resourceId, name: "before upgrade", state: "creating", sizeGb: 120, createdAt: clock.now() });
    expect(created.snapshotId).toMatch(/^snap-0[0-9a-f]{16}$/);
    clock.advance(2000);
    expect((await provider.describeSnapshot(created.snapshotId)).state).toBe("available");

    const refused = await provider.restoreSnapshot(resourceId, created.snapshotId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CloudProviderError);
    expect(refused).toMatchObject({ code: "IncorrectInstanceState" });

    await provider.stopInstance(resourceId);
    clock.advance(2000);
    await provider.restoreSnapshot(resourceId, created.snapshotId);
    expect((await provider.describeSnapshot(created.snapshotId)).state).toBe("restoring");
    // Disks being replaced: the machine cannot be started meanwhile.
    await expect(provider.startInstance(resourceId)).rejects.toMatchObject({ code: "IncorrectInstanceState" });
    clock.advance(2000);
    expect((await provider.describeSnapshot(created.snapshotId)).state).toBe("available");
    expect((await provider.describeInstance(resourceId)).state).toBe("stopped");

    await provider.deleteSnapshot(created.snapshotId);
    expect((await provider.listSnapshots(resourceId)).map((snapshot) => snapshot.state)).toEqual(["deleting"]);
    clock.advance(2000);
    await expect(provider.describeSnapshot(created.snapshotId)).rejects.toMatchObject({ code: "NotFound", provider: "aws" });
    expect(await provider.listSnapshots(resourceId)).toEqual([]);
    expect(await t.db.prisma.simulatedSnapshot.count()).toBe(0);
  });

  it("refuses to delete or restore a snapshot that is still being created", async () => {
    const provider = simulator();
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    const { snapshotId } = await provider.createSnapshot(resourceId, "s");
    await expect(provider.deleteSnapshot(snapshotId)).rejects.toMatchObject({ code: "IncorrectSnapshotState" });
    await expect(provider.restoreSnapshot(resourceId, snapshotId)).rejects.toMatchObject({ code: "IncorrectSnapshotState" });
  });

  it("ends snapshot creation in error on an injected fault", async () => {
    const provider = simulator("gcp");
    const { resourceId } = await provider.registerInstance({ name: "a", region: "europe-west1", state: "running" });
    await provider.injectFault(resourceId, "snapshot", "RESOURCE_OPERATION_RATE_EXCEEDED", { once: true });
    const failing = await provider.createSnapshot(resourceId, "first");
    clock.advance(2000);
    expect((await provider.describeSnapshot(failing.snapshotId)).state).toBe("error");
    const next = await provider.createSnapshot(resourceId, "second");
    clock.advance(2000);
    expect((await provider.describeSnapshot(next.snapshotId)).state).toBe("available");
    expect(next.snapshotId).toMatch(/^projects\/vmbot-demo\/global\/snapshots\/second-[a-z0-9]{6}$/);
  });

  it("reports a failed restore on the snapshot and, with the message, on the instance", async () => {
    const provider = simulator("aws");
    const { resourceId } = await provider.registerInstance({ name: "a", region: "us-east-1", state: "stopped" });
    const { snapshotId } = await provider.createSnapshot(resourceId, "s");
    clock.advance(2000);
    await provider.injectFault(resourceId, "restore", "Server.InternalError: root volume replacement failed");
    await provider.restoreSnapshot(resourceId, snapshotId);
    expect((await provider.describeInstance(resourceId)).state).toBe("stopped");
    clock.advance(2000);
    expect(await provider.describeInstance(resourceId)).toMatchObject({ state: "error", stateMessage: "Server.InternalError: root volume replacement failed" });
    expect((await provider.describeSnapshot(snapshotId)).state).toBe("error");
  });

  it("does not restore a snapshot onto another instance", async () => {
    const provider = simulator();
    const a = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    const b = await provider.registerInstance({ name: "b", region: "sim-1", state: "stopped" });
    const { snapshotId } = await provider.createSnapshot(a.resourceId, "s");
    clock.advance(2000);
    await expect(provider.restoreSnapshot(b.resourceId, snapshotId)).rejects.toMatchObject({ code: "InvalidParameterValue" });
  });
});
