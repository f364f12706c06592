import { expect, it, vi } from "vitest";
import { InstanceNotFoundError, WaitTimeoutError, type ProviderKind } from "../../../src/providers/cloud-provider.js";
import { SimulatorProvider } from "../../../src/providers/simulator/simulator-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { testClock } from "./test-clock.js";

describeEachDatabase("SimulatorProvider waitForState and kinds", (t) => {
  const clock = testClock();
  const simulator = (kind: ProviderKind = "simulator") =>
    new SimulatorProvider({
      prisma: t.db.prisma,
      kind,
      latencyMs: 5000,
      jitterMs: 0,
      failureRate: 0,
      throttleRate: 0,
      now: clock.now,
      sleep: clock.sleep,
      pollIntervalMs: 1000,
    });

  it("waits until the target state, polling on the injected clock", async () => {
    const provider = simulator();
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    await provider.startInstance(resourceId);
    const onPoll = vi.fn();
    const startedAt = clock.now().getTime();
    const settled = await provider.waitForState(resourceId, "running", { onPoll });
    expect(settled.state).toBe("running");
    expect(onPoll).toHaveBeenCalledTimes(6);
    expect(onPoll.mock.calls[0]![0]).toMatchObject({ state: "starting" });
    expect(clock.now().getTime() - startedAt).toBe(5000);
  });

  it("resolves with the description when the instance ends in error", async () => {
    const provider = simulator();
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    await provider.injectFault(resourceId, "start", "SimulatedFailure: no capacity");
    await provider.startInstance(resourceId);
    expect(await provider.waitForState(resourceId, "running")).toMatchObject({ state: "error", stateMessage: "SimulatedFailure: no capacity" });
  });

  it("times out with WaitTimeoutError naming the last state", async () => {
    const provider = simulator();
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    const error = await provider.waitForState(resourceId, "running", { timeoutMs: 3000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toContain("last seen stopped");
  });

  it("stops waiting when the signal aborts", async () => {
    const provider = simulator();
    const { resourceId } = await provider.registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    const controller = new AbortController();
    controller.abort(new Error("operation cancelled"));
    await expect(provider.waitForState(resourceId, "running", { signal: controller.signal })).rejects.toThrow("operation cancelled");
  });

  it("keeps each kind's machines apart and flavours their ids and state words", async () => {
    const expected: Record<ProviderKind, { id: RegExp; running: string; stopped: string }> = {
      aws: { id: /^i-0[0-9a-f]{16}$/, running: "running", stopped: "stopped" },
      azure: { id: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-vmbot-westeurope\/providers\/Microsoft\.Compute\/virtualMachines\/vm-azure$/, running: "VM running", stopped: "VM deallocated" },
      gcp: { id: /^projects\/vmbot-demo\/zones\/europe-west1-b\/instances\/vm-gcp$/, running: "RUNNING", stopped: "TERMINATED" },
      oci: { id: /^ocid1\.instance\.oc1\.eu-frankfurt-1\.[a-z0-9]{60}$/, running: "RUNNING", stopped: "STOPPED" },
      simulator: { id: /^sim-[0-9a-f]{10}$/, running: "running", stopped: "stopped" },
    };
    const regions: Record<ProviderKind, string> = { aws: "us-east-1", azure: "westeurope", gcp: "europe-west1", oci: "eu-frankfurt-1", simulator: "sim-1" };
    const ids = new Map<ProviderKind, string>();
    for (const kind of Object.keys(expected) as ProviderKind[]) {
      const provider = simulator(kind);
      const running = await provider.registerInstance({ name: `vm-${kind}`, region: regions[kind], state: "running" });
      await provider.registerInstance({ name: `vm-${kind}-2`, region: regions[kind], state: "stopped" });
      expect(running.resourceId).toMatch(expected[kind].id);
      expect(running.providerState).toBe(expected[kind].running);
      ids.set(kind, running.resourceId);
    }
    for (const kind of Object.keys(expected) as ProviderKind[]) {
      const provider = simulator(kind);
      const listed = await provider.listInstances();
      expect(listed.map((instance) => instance.name)).toEqual([`vm-${kind}`, `vm-${kind}-2`]);
      expect(listed[1]!.providerState).toBe(expected[kind].stopped);
    }
    await expect(simulator("gcp").describeInstance(ids.get("aws")!)).rejects.toBeInstanceOf(InstanceNotFoundError);
    await expect(simulator("gcp").startInstance(ids.get("aws")!)).rejects.toBeInstanceOf(InstanceNotFoundError);
    const rows = await t.db.prisma.simulatedInstance.findMany({ where: { resourceId: ids.get("oci")! } });
    expect(rows[0]!.provider).toBe("oci");
  });

  it("fills a console URL in the kind's format when none is given", async () => {
    const aws = await simulator("aws").registerInstance({ name: "a", region: "eu-west-1", state: "running" });
    expect(aws.details.consoleUrl).toBe(`https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=${aws.resourceId}`);
    const sim = await simulator().registerInstance({ name: "b", region: "sim-1", state: "running", details: { cpu: 2 } });
    expect(sim.details).toEqual({ cpu: 2 });
  });
});
