// describe() once per database with a running bot: started before the suite, checked after every test
// (no Slack spec violations), emptied between tests, stopped after.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startHarness, type BotHarness } from "./bot-harness.js";
import { describeEachDialect } from "./dialects.js";

export function describeWithBot(name: string, body: (t: { harness: BotHarness }) => void): void {
  describeEachDialect(name, (dialect) => {
    const t = { harness: undefined as unknown as BotHarness };
    beforeAll(async () => {
      t.harness = await startHarness(dialect);
    });
    afterEach(async () => {
      await t.harness.idle();
      expect(t.harness.standIn.violations).toEqual([]);
      await t.harness.reset();
    });
    afterAll(async () => t.harness?.stop());
    body(t);
  });
}
