import { expect, it } from "vitest";
import { CloudProviderError, InstanceNotFoundError } from "../../../src/providers/cloud-provider.js";
import { seededRandom } from "../../../src/providers/simulator/random-ids.js";
import { SimulatorProvider, type SimulatorProviderOptions } from "../../../src/providers/simulator/simulator-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { testClock } from "./test-clock.js";

describeEachDatabase("SimulatorProvider instances", (t) => {
  const clock = testClock();
  const simulator = (options: Partial<SimulatorProviderOptions> = {}) =>
    new SimulatorProvider({
      prisma: t.db.prisma,
      latencyMs: 3000,
      jitterMs: 0,
      failureRate: 0,
      throttleRate: 0,
      now: clock.now,
      ...options,
    });

  it("starts through a transitional state that settles after the latency, and saves it", async () => {
    const provider = simulator({ kind: "aws" });
    const { resourceId } = await provider.registerInstance({ name: "web-1", region: "eu-west-1", state: "stopped" });

    await provider.startInstance(resourceId);
    const starting = await provider.describeInstance(resourceId);
    expect(starting).toMatchObject({ state: "starting", providerState: "pending" });

    clock.advance(2999);
    expect((await provider.describeInstance(resourceId)).state).toBe("starting");
    clock.advance(1);
    expect(await provider.describeInstance(resourceId)).toMatchObject({ state: "running", providerState: "running" });

    const row = await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId } });
    expect(row).toMatchObject({ state: "running", targetState: null, transitionEndsAt: null });
  });

  it("keeps the jitter within latency ± jitter", async () => {
    const provider = simulator({ latencyMs: 1000, jitterMs: 500, random: () => 0 });
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "running" });
    await provider.stopInstance(resourceId);
    const row = await t.db.prisma.simulatedInstance.findUniqueOrThrow({ where: { resourceId } });
    expect(row.transitionEndsAt!.getTime() - clock.now().getTime()).toBe(500);
  });

  it("accepts start of a running and stop of a stopped instance as no-ops", async () => {
    const provider = simulator();
    const running = await provider.registerInstance({ name: "a", region: "sim-1", state: "running" });
    const stopped = await provider.registerInstance({ name: "b", region: "sim-1", state: "stopped" });
    await provider.startInstance(running.resourceId);
    await provider.stopInstance(stopped.resourceId);
    expect((await provider.describeInstance(running.resourceId)).state).toBe("running");
    expect((await provider.describeInstance(stopped.resourceId)).state).toBe("stopped");
  });

  it("refuses to start an instance that is stopping, in the provider's words", async () => {
    const provider = simulator({ kind: "aws" });
    const { resourceId } = await provider.registerInstance({ name: "a", region: "us-east-1", state: "running" });
    await provider.stopInstance(resourceId);
    const refusal = await provider.startInstance(resourceId).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CloudProviderError);
    expect(refusal).toMatchObject({ code: "IncorrectInstanceState", provider: "aws", retryable: false });
    expect((refusal as Error).message).toMatch(/^IncorrectInstanceState: The instance 'i-0[0-9a-f]{16}' is not in a state from which it can be started/);
  });

  it("reboots through rebooting back to running, and refuses to reboot a stopped instance", async () => {
    const provider = simulator({ kind: "oci" });
    const running = await provider.registerInstance({ name: "a", region: "eu-frankfurt-1", state: "running" });
    const stopped = await provider.registerInstance({ name: "b", region: "eu-frankfurt-1", state: "stopped" });
    await provider.rebootInstance(running.resourceId);
    expect(await provider.describeInstance(running.resourceId)).toMatchObject({ state: "rebooting", providerState: "SOFTRESETTING" });
    clock.advance(3000);
    expect(await provider.describeInstance(running.resourceId)).toMatchObject({ state: "running", providerState: "RUNNING" });
    await expect(provider.rebootInstance(stopped.resourceId)).rejects.toMatchObject({ code: "IncorrectInstanceState" });
  });

  it("survives a restart: a new provider over the same database sees and settles the same state", async () => {
    const before = simulator({ kind: "gcp" });
    const { resourceId } = await before.registerInstance({ name: "worker-1", region: "europe-west1", state: "running", tags: { team: "data" } });
    await before.stopInstance(resourceId);

    const after = simulator({ kind: "gcp" });
    expect(await after.describeInstance(resourceId)).toMatchObject({ state: "stopping", providerState: "STOPPING", tags: { team: "data" } });
    clock.advance(3000);
    expect(await after.describeInstance(resourceId)).toMatchObject({ state: "stopped", providerState: "TERMINATED" });
  });

  it("ends a transition in error with the injected fault's message, once or always", async () => {
    const provider = simulator({ kind: "aws" });
    const message = "Server.InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Availability Zone you requested (us-east-1a).";
    const once = await provider.registerInstance({ name: "once", region: "us-east-1", state: "stopped" });
    const always = await provider.registerInstance({ name: "always", region: "us-east-1", state: "stopped" });
    await provider.injectFault(once.resourceId, "start", message, { once: true });
    await provider.injectFault(always.resourceId, "start", message);

    for (const { resourceId } of [once, always]) await provider.startInstance(resourceId);
    // The failure is news only once the transition ends.
    expect(await provider.describeInstance(once.resourceId)).toMatchObject({ state: "starting", stateMessage: undefined });
    clock.advance(3000);
    for (const { resourceId } of [once, always]) {
      expect(await provider.describeInstance(resourceId)).toMatchObject({ state: "error", providerState: "impaired", stateMessage: message });
    }

    // An instance in error can be started again: the `once` fault is used up, the other is not.
    for (const { resourceId } of [once, always]) await provider.startInstance(resourceId);
    clock.advance(3000);
    expect(await provider.describeInstance(once.resourceId)).toMatchObject({ state: "running", stateMessage: undefined });
    expect((await provider.describeInstance(always.resourceId)).state).toBe("error");
    // Faults are the simulator's bookkeeping, never part of the details callers see.
    expect((await provider.describeInstance(always.resourceId)).details).not.toHaveProperty("faults");

    await provider.stopInstance(always.resourceId);
    clock.advance(3000);
    expect((await provider.describeInstance(always.resourceId)).state).toBe("stopped");

    await provider.clearFaults(always.resourceId);
    await provider.startInstance(always.resourceId);
    clock.advance(3000);
    expect((await provider.describeInstance(always.resourceId)).state).toBe("running");
  });

  it("reads faults seeded into details.faults", async () => {
    const provider = simulator({ kind: "oci" });
    const { resourceId } = await provider.registerInstance({
      name: "gpu-1",
      region: "us-ashburn-1",
      state: "stopped",
      details: { diskGb: 200 },
      faults: { start: "InternalError: Out of host capacity." },
    });
    await provider.startInstance(resourceId);
    clock.advance(3000);
    expect(await provider.describeInstance(resourceId)).toMatchObject({ state: "error", providerState: "FAILED", stateMessage: "InternalError: Out of host capacity." });
  });

  it("fails transitions at the random failure rate, deterministically for a seeded random", async () => {
    const outcomes = async (seed: number) => {
      await t.db.prisma.simulatedInstance.deleteMany();
      const provider = simulator({ kind: "azure", failureRate: 0.5, random: seededRandom(seed) });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await provider.registerInstance({ name: `vm-${i}`, region: "westeurope", state: "stopped" })).resourceId);
      for (const id of ids) await provider.startInstance(id);
      clock.advance(3000);
      return Promise.all(ids.map((id) => provider.describeInstance(id)));
    };
    const first = await outcomes(42);
    const failed = first.filter((instance) => instance.state === "error");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(12);
    expect(failed[0]!.stateMessage).toMatch(/^AllocationFailed: Allocation failed\./);
    expect(failed[0]!.providerState).toBe("Provisioning failed");
    expect((await outcomes(42)).map((instance) => instance.state)).toEqual(first.map((instance) => instance.state));
  });

  it("throws the provider's not-found error for unknown instances", async () => {
    await expect(simulator().describeInstance("sim-missing")).rejects.toBeInstanceOf(InstanceNotFoundError);
  });
});
