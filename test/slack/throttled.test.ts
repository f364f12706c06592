import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { throttled } from "../../src/slack/background.js";

// The test drives the clock (Date.now and setTimeout are faked): no sleeping, no timing luck.
beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-11-30T12:00:00Z"), toFake: ["Date", "setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

it("sends at most once per interval, the latest value, and a value that came too soon after the interval", async () => {
  const sent: number[] = [];
  const updates = throttled<number>(50, async (value) => void sent.push(value));
  await updates.push(1);
  void updates.push(2);
  void updates.push(3);
  expect(sent).toEqual([1]);
  await vi.advanceTimersByTimeAsync(49);
  expect(sent).toEqual([1]); // still inside the interval
  await vi.advanceTimersByTimeAsync(1);
  expect(sent).toEqual([1, 3]); // 2 was replaced by 3 before the interval ended
  void updates.push(4);
  await updates.flush();
  expect(sent).toEqual([1, 3, 4]);
  await updates.flush();
  expect(sent).toEqual([1, 3, 4]);
});

it("sends at once when the interval has already passed, and never twice for one value", async () => {
  const sent: number[] = [];
  const updates = throttled<number>(1000, async (value) => void sent.push(value));
  await updates.push(1);
  await vi.advanceTimersByTimeAsync(1000);
  await updates.push(2);
  expect(sent).toEqual([1, 2]);
  void updates.push(3);
  await vi.advanceTimersByTimeAsync(5000);
  expect(sent).toEqual([1, 2, 3]);
  await updates.flush();
  expect(sent).toEqual([1, 2, 3]);
});
