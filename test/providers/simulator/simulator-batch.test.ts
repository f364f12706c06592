import { expect, it } from "vitest";
import { InstanceNotFoundError, ThrottledError } from "../../../src/providers/cloud-provider.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { SimulatorProvider } from "../../../src/providers/simulator/simulator-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { testClock } from "./test-clock.js";

describeEachDatabase("SimulatorProvider batches", (t) => {
  const clock = testClock();
  const simulator = () =>
    new SimulatorProvider({ prisma: t.db.prisma, latencyMs: 1000, jitterMs: 0, failureRate: 0, throttleRate: 0, now: clock.now });

  it("answers each id of a batch in order, a missing machine or a wrong state as that id's failure", async () => {
    const provider = new RetryingProvider(simulator());
    const stopped = await simulator().registerInstance({ name: "a", region: "sim-1", state: "stopped" });
    const running = await simulator().registerInstance({ name: "b", region: "sim-1", state: "running" });

    const results = await provider.powerInstances("reboot", [stopped.resourceId, "sim-missing", running.resourceId]);
    expect(results.map((result) => [result.resourceId, result.ok])).toEqual([
      [stopped.resourceId, false],
      ["sim-missing", false],
      [running.resourceId, true],
    ]);
    const missing = results[1]!;
    expect(!missing.ok && missing.error).toBeInstanceOf(InstanceNotFoundError);

    const described = await provider.describeInstances([running.resourceId, "sim-missing"]);
    expect(described[0]).toMatchObject({ resourceId: running.resourceId, state: "rebooting" });
    expect(described[1]).toBeInstanceOf(InstanceNotFoundError);
  });

  it("retries only the machines a per-machine cloud throttled, keeping the others' answers", async () => {
    const setup = simulator();
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((name) => setup.registerInstance({ name, region: "sim-1", state: "stopped" })));
    // The dice throttle the second machine's first call only (draws: throttle check per call, then jitter).
    const draws = [0.9, 0.1];
    const dice = new SimulatorProvider({ prisma: t.db.prisma, latencyMs: 1000, jitterMs: 0, failureRate: 0, throttleRate: 0.5, now: clock.now, random: () => draws.shift() ?? 0.9 });
    const asked: string[][] = [];
    const counted = new Proxy(dice, {
      get(target, property, receiver) {
        if (property === "powerInstances") return (action: "start", ids: string[]) => (asked.push(ids), target.powerInstances(action, ids));
        return Reflect.get(target, property, receiver);
      },
    });
    const results = await new RetryingProvider(counted, { minTimeoutMs: 1, maxTimeoutMs: 2 }).powerInstances("start", [a!.resourceId, b!.resourceId, c!.resourceId]);

    expect(results.map((result) => [result.resourceId, result.ok])).toEqual([[a!.resourceId, true], [b!.resourceId, true], [c!.resourceId, true]]);
    expect(asked).toEqual([[a!.resourceId, b!.resourceId, c!.resourceId], [b!.resourceId]]);
  });

  it("keeps the throttling as the machine's answer once the retries are spent", async () => {
    const setup = simulator();
    const one = await setup.registerInstance({ name: "one", region: "sim-1", state: "stopped" });
    const alwaysThrottled = new SimulatorProvider({ prisma: t.db.prisma, latencyMs: 1000, jitterMs: 0, failureRate: 0, throttleRate: 1, now: clock.now, random: () => 0 });
    const [result] = await new RetryingProvider(alwaysThrottled, { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 }).powerInstances("start", [one.resourceId]);
    expect(result).toMatchObject({ resourceId: one.resourceId, ok: false, error: expect.any(ThrottledError) });
  });
});
