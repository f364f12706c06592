// Reliability: two hundred generated `/vm` command lines through the real HTTP receiver of the running bot
// (the 10,000-run fuzz of the parsers is in command-parsers.fuzz.test.ts). Each is acked, each gets an
// answer the user can read, and none ends in the "something went wrong" of an unexpected error.
import fc from "fast-check";
import { expect, it } from "vitest";
import { USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { addVms, blocksText } from "../../support/slack-helpers.js";
import { separator, typed } from "./command-text-arbitraries.js";

const SUBCOMMANDS = ["list", "status", "start", "stop", "reboot", "snapshot", "snapshots", "audit", "whoami", "help", "role", "bogus"];

describeWithBot("Reliability: generated /vm commands through the receiver", (t) => {
  it("acks and answers every generated command line without an unexpected error", { timeout: 120_000 }, async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 2, { status: "running" });
    const line = fc.tuple(fc.constantFrom(...SUBCOMMANDS), separator, typed).map(([name, space, rest]) => (name + space + rest).slice(0, 3000));
    await fc.assert(
      fc.asyncProperty(line, async (text) => {
        const before = standIn.ephemerals({ user: USERS.viewer.id }).length;
        const reply = await workspace.command(USERS.viewer.id, "/vm", text);
        expect(reply.status, text).toBe(200);
        const answer = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).at(before), 10_000);
        const shown = `${answer.text}\n${blocksText(answer.blocks)}`;
        expect(shown.trim().length, text).toBeGreaterThan(0);
        expect(shown, text).not.toContain("Something went wrong");
        await t.harness.idle();
      }),
      { numRuns: 200, seed: 20261130 },
    );
    // A viewer acts on nothing, whatever they type.
    expect(await bot.db.prisma.operationExecution.count()).toBe(0);
    expect(await bot.db.prisma.auditLog.count({ where: { outcome: "succeeded", action: { in: ["vm_start", "vm_stop", "reboot"] } } })).toBe(0);
  });
});
