// Clicks through the VM list as Slack would: signed requests into Bolt's real HTTP receiver, the bot's
// Web API calls and response_url posts answered (and spec-checked) by the stand-in. A list belongs to
// whoever asked (ephemeral, redrawn through each click's response_url); what they do is the channel's.
import { expect, it } from "vitest";
import { describeWithBot } from "../support/describe-with-bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { postSigned } from "../support/raw-delivery.js";
import { addVms, blocksText, botMessages, ephemeralNow, latestEphemeral } from "../support/slack-helpers.js";

type Blocks = { block_id?: string; accessory?: { initial_options?: { value: string }[] } }[];

/** The VM ids whose checkbox is ticked in a rendered list. */
function tickedIn(blocks: unknown): number[] {
  return ((blocks ?? []) as Blocks).flatMap((block) =>
    String(block.block_id).startsWith("vm_row:") && block.accessory?.initial_options?.length ? [Number(block.block_id!.slice(7))] : [],
  );
}

function rowIdOf(blocks: unknown, index = 0): string {
  return ((blocks ?? []) as Blocks).filter((block) => String(block.block_id).startsWith("vm_row:"))[index]!.block_id!;
}

describeWithBot("VM list end to end", (t) => {
  it("answers the caller alone, keeps a selection across pages, and posts the Start in the channel with its progress in place", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 25, { status: "stopped" });
    const user = USERS.operator.id;
    const reply = await workspace.command(user, "/vm", "list");
    expect(reply.status).toBe(200);
    const list = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "25 VMs" }));
    const target = { channel: list.channel, ts: list.ts };
    const text = () => blocksText(ephemeralNow(standIn, user, target)?.blocks);
    // Visible to its caller only: nothing in the channel, nothing for anyone else.
    expect(botMessages(standIn)).toEqual([]);
    expect(standIn.ephemerals({ user: USERS.viewer.id })).toEqual([]);
    expect(standIn.ephemerals({ user: USERS.admin.id })).toEqual([]);
    expect(standIn.callsTo("chat.postMessage")).toEqual([]);

    const firstRow = rowIdOf(list.blocks);
    await workspace.selectCheckboxes(user, target, "vm_list_select", [firstRow.slice(7)], { blockId: firstRow });
    await standIn.waitFor(() => text().includes("1 selected"));

    await workspace.clickButton(user, target, "vm_list_next");
    const page2 = await standIn.waitFor(() => {
      const now = ephemeralNow(standIn, user, target)!;
      return blocksText(now.blocks).includes("vm-011") ? now : undefined;
    });
    expect(blocksText(page2.blocks)).toContain("1 selected"); // the tick on page one survives paging
    const secondRow = rowIdOf(page2.blocks);
    await workspace.selectCheckboxes(user, target, "vm_list_select", [secondRow.slice(7)], { blockId: secondRow });
    await standIn.waitFor(() => text().includes("2 selected"));
    expect(text()).toContain("vm-011"); // still on page two after the tick

    await workspace.clickButton(user, target, "vm_list_start");
    // One outcome message in the channel says who did what to which VMs, and follows the progress in place.
    const outcome = await standIn.waitFor(() => botMessages(standIn)[0]);
    expect(blocksText(outcome.blocks)).toContain(`Requested by <@${user}>`);
    expect(blocksText(outcome.blocks)).toMatch(/vm-001/);
    expect(blocksText(outcome.blocks)).toMatch(/vm-011/);
    const done = await standIn.waitFor(() => {
      const now = blocksText(standIn.message(outcome.channel, outcome.ts)?.blocks);
      return now.includes("Started 2 VMs") ? now : undefined;
    }, 10_000);
    expect(done).toContain("2/2 running");
    expect(botMessages(standIn)).toHaveLength(1);
    expect(standIn.callsTo("chat.update").filter((call) => call.args.ts === outcome.ts).length).toBeGreaterThanOrEqual(1);
    expect(standIn.callsTo("chat.update").every((call) => call.args.ts === outcome.ts)).toBe(true);

    // The caller's own list was redrawn (selection cleared), and once more when the action settled.
    await standIn.waitFor(() => text().includes("Started 2 VMs"), 10_000);
    expect(text()).not.toContain("selected");
    expect(text()).toMatch(/vm-011\*\s+running/);
    expect(standIn.ephemerals({ user })).toHaveLength(1); // the same ephemeral, redrawn in place

    const started = await bot.db.prisma.auditLog.findMany({ where: { action: "vm_start" }, include: { user: true } });
    expect(started.map((entry) => `${entry.vmName}:${entry.outcome}`).sort()).toEqual(["vm-001:initiated", "vm-001:succeeded", "vm-011:initiated", "vm-011:succeeded"]);
    expect(started.every((entry) => entry.source === "slack_button" && entry.user?.slackUserId === user)).toBe(true);
    expect(await bot.db.prisma.vm.count({ where: { status: "running" } })).toBe(2);
  });

  it("keeps two users' selections apart: each ticks on their own list and acts on their own selection", async () => {
    const { workspace, standIn, bot } = t.harness;
    const [first, second] = await addVms(bot, 3, { status: "stopped" });
    const operator = USERS.operator.id;
    const admin = USERS.admin.id;
    await workspace.command(operator, "/vm", "list");
    await workspace.command(admin, "/vm", "list");
    const operatorList = await standIn.waitFor(() => latestEphemeral(standIn, operator, { containing: "3 VMs" }));
    const adminList = await standIn.waitFor(() => latestEphemeral(standIn, admin, { containing: "3 VMs" }));

    await Promise.all([
      workspace.selectCheckboxes(operator, operatorList, "vm_list_select", [String(first!.id)], { blockId: `vm_row:${first!.id}` }),
      workspace.selectCheckboxes(admin, adminList, "vm_list_select", [String(second!.id)], { blockId: `vm_row:${second!.id}` }),
    ]);
    await standIn.waitFor(() => tickedIn(ephemeralNow(standIn, operator, operatorList)?.blocks).length === 1);
    await standIn.waitFor(() => tickedIn(ephemeralNow(standIn, admin, adminList)?.blocks).length === 1);
    expect(tickedIn(ephemeralNow(standIn, operator, operatorList)!.blocks)).toEqual([first!.id]);
    expect(tickedIn(ephemeralNow(standIn, admin, adminList)!.blocks)).toEqual([second!.id]);

    // The operator starts their selection: only their VM moves, and the admin's list keeps its own tick.
    await workspace.clickButton(operator, operatorList, "vm_list_start");
    await standIn.waitFor(() => blocksText(botMessages(standIn)[0]?.blocks).includes("Started 1 VM"), 10_000);
    await t.harness.idle();
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("running");
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe("stopped");
    expect(tickedIn(ephemeralNow(standIn, admin, adminList)!.blocks)).toEqual([second!.id]);
    expect(blocksText(ephemeralNow(standIn, admin, adminList)!.blocks)).toContain("1 selected");
    expect(tickedIn(ephemeralNow(standIn, operator, operatorList)!.blocks)).toEqual([]);
  });

  it("shows viewers the same list, to them alone, without any action controls", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.viewer.id, "/vm", "list");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, USERS.viewer.id));
    const actionIds = JSON.stringify(list.blocks);
    expect(actionIds).not.toMatch(/vm_list_select|vm_list_start|vm_list_pick/);
    expect(actionIds).toContain("vm_list_refresh");
    expect(actionIds).toContain("vm_list_share");
    expect(botMessages(standIn)).toEqual([]);
    const views = await bot.db.prisma.auditLog.count({ where: { action: "view", user: { slackUserId: USERS.viewer.id } } });
    expect(views).toBe(1);

    await workspace.clickButton(USERS.viewer.id, list, "vm_list_refresh");
    await t.harness.idle();
    expect(await bot.db.prisma.auditLog.count({ where: { action: "view", user: { slackUserId: USERS.viewer.id } } })).toBe(2);
    expect(standIn.ephemerals({ user: USERS.viewer.id })).toHaveLength(1);
  });

  it("answers bad filters and unknown subcommands with a short usage reply", async () => {
    const { workspace, standIn } = t.harness;
    await workspace.command(USERS.operator.id, "/vm", "list status:sleepy");
    const ephemeral = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).at(-1));
    expect(ephemeral.text).toContain('Unknown status "sleepy"');
    await workspace.command(USERS.operator.id, "/vm", "frobnicate");
    const unknown = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((entry) => entry.text?.includes("frobnicate")));
    expect(unknown.text).toContain("/vm help");
    await workspace.command(USERS.operator.id, "/vm", `list name~${"a".repeat(200)}`);
    const tooLong = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((entry) => entry.text?.includes("too long")));
    expect(tooLong.text).toContain("at most 150 characters");
  });

  it("picks VMs from the whole inventory with the typeahead and filters through the modal", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 40, { status: "stopped" });
    const user = USERS.operator.id;
    await workspace.command(user, "/vm", "list");
    const target = await standIn.waitFor(() => latestEphemeral(standIn, user));
    const current = () => blocksText(ephemeralNow(standIn, user, target)?.blocks);

    const suggestions = await workspace.suggest(user, target, "vm_list_pick", "vm-03");
    expect(suggestions.options.map((option) => blocksText(option.text))).toEqual(Array.from({ length: 10 }, (_, index) => `vm-03${index}`));
    await workspace.selectOption(user, target, "vm_list_pick", suggestions.options.slice(0, 3));
    await standIn.waitFor(() => current().includes("3 selected"));
    expect(current()).toContain("Start (3 selected)");

    await workspace.clickButton(user, target, "vm_list_filter");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    const bad = await workspace.submitView(user, modal.id, { query: "status:sleepy" });
    expect(bad.responseAction).toBe("errors");
    expect(JSON.stringify(bad.errors)).toContain('Unknown status \\"sleepy\\"');
    await workspace.submitView(user, modal.id, { query: "name~vm-01" });
    await standIn.waitFor(() => current().includes("10 VMs") && current().includes("filter `name~vm-01`"));
    expect(current()).toContain("3 selected"); // the selection survives a new filter

    await workspace.clickButton(user, target, "vm_list_clear");
    await standIn.waitFor(() => !current().includes("selected"));
    expect(standIn.ephemerals({ user })).toHaveLength(1);
    expect(botMessages(standIn)).toEqual([]);
  });

  it("starts a VM from its status card: the card is the caller's, the outcome and its progress are the channel's", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    const user = USERS.admin.id;
    await workspace.command(user, "/vm", "status vm-001");
    const card = await standIn.waitFor(() => latestEphemeral(standIn, user));
    expect(blocksText(card.blocks)).toContain("stopped");
    expect(botMessages(standIn)).toEqual([]);
    await workspace.clickButton(user, card, "vm_start");
    const outcome = await standIn.waitFor(() => botMessages(standIn)[0]);
    const done = await standIn.waitFor(() => {
      const text = blocksText(standIn.message(outcome.channel, outcome.ts)?.blocks);
      return text.includes("Started 1 VM") ? text : undefined;
    }, 10_000);
    expect(done).toContain("1/1 running");
    expect(done).toContain(`Requested by <@${user}>`);
    await standIn.waitFor(() => blocksText(ephemeralNow(standIn, user, card)?.blocks).includes("Started 1 VM"), 10_000);
    expect((await bot.db.prisma.vm.findFirstOrThrow()).status).toBe("running");
  });

  it("answers a list asked for from App Home in the user's DM, and redraws it there with chat.update", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 2, { status: "stopped" });
    const user = USERS.operator.id;
    await workspace.openHome(user);
    const home = await standIn.waitFor(() => standIn.homeView(user));
    await workspace.clickButton(user, { viewId: home.id }, "home_list_vms");
    const dm = standIn.dmChannel(user).id;
    const list = await standIn.waitFor(() => botMessages(standIn, dm)[0]);
    expect(blocksText(list.blocks)).toContain("2 VMs");
    expect(botMessages(standIn)).toEqual([]);
    expect(standIn.ephemerals()).toEqual([]);

    const row = rowIdOf(list.blocks);
    await workspace.selectCheckboxes(user, { channel: dm, ts: list.ts }, "vm_list_select", [row.slice(7)], { blockId: row });
    await standIn.waitFor(() => blocksText(standIn.message(dm, list.ts)?.blocks).includes("1 selected"));
    expect(standIn.callsTo("chat.update").map((call) => call.args.channel)).toEqual([dm]);
  });

  it("shares a copy of the list in the channel without any controls, and leaves the sharer's own list as it was", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    const user = USERS.operator.id;
    await workspace.command(user, "/vm", "list name~vm-00");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, user));
    const row = rowIdOf(list.blocks);
    await workspace.selectCheckboxes(user, list, "vm_list_select", [row.slice(7)], { blockId: row });
    await standIn.waitFor(() => blocksText(ephemeralNow(standIn, user, list)?.blocks).includes("1 selected"));

    await workspace.clickButton(user, list, "vm_list_share");
    const shared = await standIn.waitFor(() => botMessages(standIn)[0]);
    const text = blocksText(shared.blocks);
    expect(text).toContain(`Shared by <@${user}>`);
    expect(text).toContain("3 VMs");
    for (const name of ["vm-001", "vm-002", "vm-003"]) expect(text).toContain(name);
    expect(text).not.toContain("selected");
    expect(JSON.stringify(shared.blocks)).not.toContain("action_id");
    expect(JSON.stringify(shared.blocks)).not.toMatch(/"type":"(actions|checkboxes|button)"/);
    expect(blocksText(ephemeralNow(standIn, user, list)!.blocks)).toContain("1 selected");

    // A status card can be shared too.
    await workspace.command(user, "/vm", "status vm-002");
    const card = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "vm-002: " }));
    await workspace.clickButton(user, card, "vm_share");
    const sharedCard = await standIn.waitFor(() => botMessages(standIn)[1]);
    expect(blocksText(sharedCard.blocks)).toContain(`Shared by <@${user}>`);
    expect(JSON.stringify(sharedCard.blocks)).not.toContain("action_id");
  });

  it("falls back to a fresh ephemeral when a list's response_url has expired, so the answer is not lost", async () => {
    const { workspace, standIn, bot } = t.harness;
    await addVms(bot, 12, { status: "stopped" });
    const user = USERS.operator.id;
    await workspace.command(user, "/vm", "list");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, user));
    await workspace.clickButton(user, list, "vm_list_filter");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    // The modal stayed open past the response_url's 30 minutes: every URL issued so far is dead.
    standIn.state.responseUrls.clear();
    await workspace.submitView(user, modal.id, { query: "name~vm-01" });
    const fresh = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "filter `name~vm-01`" }));
    expect(fresh.ts).not.toBe(list.ts);
    expect(fresh.origin).toBe("chat.postEphemeral");
    expect(blocksText(fresh.blocks)).toContain("3 VMs");
    expect(botMessages(standIn)).toEqual([]);
    expect(standIn.callsTo("chat.postEphemeral").map((call) => call.args.user)).toEqual([user]);
  });

  it("posts an outcome in the user's DM where the bot may not post in the channel, and tells the user there", async () => {
    const { standIn, bot, botUrl } = t.harness;
    await addVms(bot, 1, { status: "stopped" });
    const user = USERS.operator.id;
    // A private channel the bot is not a member of: Slack answers chat.postMessage there with an error,
    // but the command's response_url still reaches the user.
    const privateChannel = "C0PRIVATE9";
    const responseUrl = `${standIn.baseUrl}/response/${standIn.state.responseUrls.issue({ userId: user, channelId: privateChannel })}`;
    const fields = {
      team_id: TEAM_ID, team_domain: "playground", channel_id: privateChannel, channel_name: "secret", user_id: user, user_name: USERS.operator.name,
      command: "/vm", text: "start vm-001", api_app_id: standIn.identity.appId, response_url: responseUrl, trigger_id: "13345224609.738474920.8088930838d88f008e2",
    };
    expect((await postSigned(botUrl, new URLSearchParams(fields).toString())).status).toBe(200);
    const dm = standIn.dmChannel(user).id;
    const outcome = await standIn.waitFor(() => botMessages(standIn, dm)[0]);
    await standIn.waitFor(() => blocksText(standIn.message(dm, outcome.ts)?.blocks).includes("Started 1 VM"), 10_000);
    const told = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "can't post in this channel" }));
    expect(told.channel).toBe(privateChannel);
    expect(botMessages(standIn)).toEqual([]);
  });
});
