import { expect, it } from "vitest";
import { InstanceNotFoundError } from "../../../src/providers/cloud-provider.js";
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
});
