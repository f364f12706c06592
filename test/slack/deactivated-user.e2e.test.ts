// A deactivated user, through Slack: a refusal instead of the inventory, for a command, a button on a
// message they still have, and the typeahead (no options, no login recorded for them).
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { addVms, blocksText, latestEphemeral } from "../support/slack-helpers.js";

describeWithBot("a deactivated user end to end", (t) => {
  it("gets a refusal, not the inventory, from commands, buttons and the typeahead", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.operator.id, "/vm", "list");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "vm-001" }));
    const target = { channel: list.channel, ts: list.ts };
    expect(blocksText(list.blocks)).toContain("vm-001");
    expect((await workspace.suggest(USERS.operator.id, target, "vm_list_pick", "vm-0")).options).toHaveLength(3);

    const deactivated = await bot.db.prisma.user.update({ where: { teamId_slackUserId: { teamId: TEAM_ID, slackUserId: USERS.operator.id } }, data: { active: false } });
    // As the service that deactivates a user does after its commit (the bot reuses a resolved user briefly).
    bot.services.users.invalidateUser(deactivated.id);
    const postedBefore = standIn.callsTo("chat.postMessage").length;
    const ephemeralsBefore = standIn.ephemerals({ user: USERS.operator.id }).length;
    await workspace.command(USERS.operator.id, "/vm", "list");
    await workspace.command(USERS.operator.id, "/vm", "status vm-001");
    const listBefore = JSON.stringify(list.blocks);
    expect((await workspace.clickButton(USERS.operator.id, target, "vm_list_refresh")).status).toBe(200);
    expect((await workspace.suggest(USERS.operator.id, target, "vm_list_pick", "vm-0")).options).toEqual([]);
    await t.harness.idle();

    expect(standIn.callsTo("chat.postMessage")).toHaveLength(postedBefore);
    const since = standIn.ephemerals({ user: USERS.operator.id }).slice(ephemeralsBefore);
    // Three refusals and nothing else: no list, no status card; the list they had was not redrawn.
    expect(since.map((message) => message.text)).toEqual([expect.stringContaining("deactivated"), expect.stringContaining("deactivated"), expect.stringContaining("deactivated")]);
    expect(JSON.stringify(standIn.ephemerals({ user: USERS.operator.id }).find((message) => message.ts === list.ts)?.blocks)).toBe(listBefore);
    const refusals = since;
    for (const refusal of refusals) expect(refusal.text).not.toMatch(/vm-00\d/);
  });
});
