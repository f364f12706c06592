// A deactivated user, through Slack: a refusal instead of the inventory, for a command, a button on a
// message they still have, and the typeahead (no options, no login recorded for them).
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { addVms, blocksText, latestBotMessage } from "../support/slack-helpers.js";

describeWithBot("a deactivated user end to end", (t) => {
  it("gets a refusal, not the inventory, from commands, buttons and the typeahead", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "list");
    const list = await standIn.waitFor(() => latestBotMessage(standIn));
    const target = { channel: list.channel, ts: list.ts };
    expect(blocksText(list.blocks)).toContain("vm-001");
    expect((await workspace.suggest(USERS.operator.id, target, "vm_list_pick", "vm-0")).options).toHaveLength(3);

    await bot.db.prisma.user.update({ where: { teamId_slackUserId: { teamId: TEAM_ID, slackUserId: USERS.operator.id } }, data: { active: false } });
    const postedBefore = standIn.callsTo("chat.postMessage").length;
    await workspace.command(USERS.operator.id, "/vm", "list");
    await workspace.command(USERS.operator.id, "/vm", "status vm-001");
    const updatesBefore = standIn.callsTo("chat.update").length;
    expect((await workspace.clickButton(USERS.operator.id, target, "vm_list_refresh")).status).toBe(200);
    expect((await workspace.suggest(USERS.operator.id, target, "vm_list_pick", "vm-0")).options).toEqual([]);
    await t.harness.idle();

    expect(standIn.callsTo("chat.postMessage")).toHaveLength(postedBefore); // no list, no status card
    expect(standIn.callsTo("chat.update")).toHaveLength(updatesBefore); // the list was not refreshed for them
    const refusals = standIn.ephemerals({ user: USERS.operator.id }).filter((message) => message.text?.includes("deactivated"));
    expect(refusals).toHaveLength(3);
    for (const refusal of refusals) expect(refusal.text).not.toMatch(/vm-00\d/);
  });
});
