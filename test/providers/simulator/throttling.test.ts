import { expect, it, vi } from "vitest";
import { ThrottledError } from "../../../src/providers/cloud-provider.js";
import { RetryingProvider } from "../../../src/providers/retrying-provider.js";
import { SimulatorProvider } from "../../../src/providers/simulator/simulator-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { scriptedRandom, testClock } from "./test-clock.js";

describeEachDatabase("simulated throttling and the retrying wrapper", (t) => {
  const clock = testClock();
  const fast = { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 };

  async function registered(random: () => number) {
    const setup = new SimulatorProvider({ prisma: t.db.prisma, kind: "aws", latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0, now: clock.now });
    const { resourceId } = await setup.registerInstance({ resourceId: "i-0123456789abcdef0", name: "a", region: "us-east-1", state: "stopped" });
    const provider = new SimulatorProvider({ prisma: t.db.prisma, kind: "aws", latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0.5, now: clock.now, random });
    return { provider, resourceId };
  }

  it("throws a retryable ThrottledError in the provider's words", async () => {
    const { provider, resourceId } = await registered(() => 0);
    const error = await provider.describeInstance(resourceId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ retryable: true, message: "RequestLimitExceeded: Request limit exceeded." });
  });

  it("retries throttled calls until one goes through", async () => {
    // Two throttled draws, then calm.
    const { provider, resourceId } = await registered(scriptedRandom(0.1, 0.2, 0.9));
    const onRetry = vi.fn();
    const retrying = new RetryingProvider(provider, { ...fast, onRetry });
    await retrying.startInstance(resourceId);
    expect(onRetry).toHaveBeenCalledTimes(2);
    expect((await retrying.describeInstance(resourceId)).state).toBe("running");
  });

  it("surfaces the throttling after the last attempt", async () => {
    const random = vi.fn(() => 0);
    const { provider, resourceId } = await registered(random);
    const retrying = new RetryingProvider(provider, fast);
    await expect(retrying.describeInstance(resourceId)).rejects.toBeInstanceOf(ThrottledError);
    expect(random).toHaveBeenCalledTimes(3);
  });

  it("does not retry errors that are not retryable", async () => {
    const { provider } = await registered(() => 0.9);
    const describe = vi.spyOn(provider, "describeInstance");
    await expect(new RetryingProvider(provider, fast).describeInstance("i-0missing")).rejects.toMatchObject({ code: "NotFound" });
    expect(describe).toHaveBeenCalledTimes(1);
  });

  it("lets waitForState poll through throttled looks", async () => {
    const { provider, resourceId } = await registered(scriptedRandom(0.9, 0.1, 0.1, 0.9));
    await provider.startInstance(resourceId);
    const settled = await provider.waitForState(resourceId, "running", { pollIntervalMs: 0 });
    expect(settled.state).toBe("running");
  });
});
