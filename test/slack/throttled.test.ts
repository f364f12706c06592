import { expect, it } from "vitest";
import { throttled } from "../../src/slack/background.js";

it("sends at most once per interval, the latest value, and a value that came too soon after the interval", async () => {
  const sent: number[] = [];
  const updates = throttled<number>(50, async (value) => void sent.push(value));
  await updates.push(1);
  void updates.push(2);
  void updates.push(3);
  expect(sent).toEqual([1]);
  await new Promise((resolve) => setTimeout(resolve, 80));
  expect(sent).toEqual([1, 3]);
  void updates.push(4);
  await updates.flush();
  expect(sent).toEqual([1, 3, 4]);
  await updates.flush();
  expect(sent).toEqual([1, 3, 4]);
});
