// The admission gate in front of every Slack request (src/slack/admission.ts): at most N at once, the rest
// in arrival order, and nobody kept past the wait limit (Slack wants its ack within 3 s).
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { AdmissionGate } from "../../src/slack/admission.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Lets the gate's resolved promises run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

it("lets N requests in at once and the next ones in arrival order as slots free up", async () => {
  const gate = new AdmissionGate(2, 1500);
  const order: number[] = [];
  const leaves: (() => void)[] = [];
  for (let index = 0; index < 5; index++) {
    void gate.enter().then((leave) => {
      order.push(index);
      leaves[index] = leave;
    });
  }
  await settle();
  expect(order).toEqual([0, 1]);
  expect(gate.load).toEqual({ active: 2, waiting: 3 });

  leaves[1]!();
  await settle();
  expect(order).toEqual([0, 1, 2]);
  leaves[1]!(); // leaving twice frees one slot only
  await settle();
  expect(order).toEqual([0, 1, 2]);
  expect(gate.load).toEqual({ active: 2, waiting: 2 });

  leaves[0]!();
  leaves[2]!();
  await settle();
  expect(order).toEqual([0, 1, 2, 3, 4]);
  leaves[3]!();
  leaves[4]!();
  expect(gate.load).toEqual({ active: 0, waiting: 0 });
});

it("admits a request that waited the limit even when no slot is free, so its ack is never late", async () => {
  const gate = new AdmissionGate(1, 1500);
  const first = await gate.enter();
  let admitted = false;
  void gate.enter().then(() => (admitted = true));
  await vi.advanceTimersByTimeAsync(1499);
  expect(admitted).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(admitted).toBe(true);
  expect(gate.load).toEqual({ active: 2, waiting: 0 });
  first();
  expect(gate.load).toEqual({ active: 1, waiting: 0 });
});
