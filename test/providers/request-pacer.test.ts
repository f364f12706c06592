import { expect, it } from "vitest";
import { RequestPacer } from "../../src/providers/request-pacer.js";

/** A clock the pacer sleeps on: sleeping moves time forward, nothing really waits. */
function virtualClock() {
  const clock = { at: 0, now: () => clock.at, sleep: async (ms: number) => void (clock.at += ms) };
  return clock;
}

const START_BUCKET = { capacity: 5, refillPerSecond: 2 };

it("lets a burst through, then paces at the refill rate", async () => {
  const clock = virtualClock();
  const pacer = new RequestPacer(clock);
  const granted: number[] = [];
  for (let call = 0; call < 9; call += 1) {
    await pacer.acquire("aws:1:us-east-1", "StartInstances", START_BUCKET);
    granted.push(clock.at);
  }
  expect(granted).toEqual([0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
});

it("hands tokens out in arrival order to concurrent callers", async () => {
  const clock = virtualClock();
  const pacer = new RequestPacer(clock);
  const order: number[] = [];
  await Promise.all(Array.from({ length: 8 }, (_, index) => pacer.acquire("s", "c", START_BUCKET).then(() => order.push(index))));
  expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(clock.at).toBe(1500);
});

it("keeps scopes and categories apart, and charges many tokens for one call", async () => {
  const clock = virtualClock();
  const pacer = new RequestPacer(clock);
  const instances = { capacity: 1000, refillPerSecond: 2 };
  await pacer.acquire("aws:1:us-east-1", "StartInstances:instances", instances, 1000);
  await pacer.acquire("aws:1:eu-west-1", "StartInstances:instances", instances, 1000);
  await pacer.acquire("aws:1:us-east-1", "nonMutating", { capacity: 100, refillPerSecond: 20 });
  expect(clock.at).toBe(0);
  await pacer.acquire("aws:1:us-east-1", "StartInstances:instances", instances, 10);
  expect(clock.at).toBe(5000);
  expect(pacer.available("aws:1:us-east-1", "StartInstances:instances")).toBe(0);
});
