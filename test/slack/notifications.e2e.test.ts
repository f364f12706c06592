// Notifications through Slack as their reader meets them: a failed start arrives as a DM (through the outbox),
// App Home lists it with New, Mark read republishes the Home without the marker, Dismiss removes it;
// `/vm notifications` lists them with the same buttons and redraws in place; the settings modal turns a
// kind's DM off (listed, not sent).
import { expect, it } from "vitest";
import type { RunningBot } from "../../src/bot.js";
import { USERS } from "../support/bot-harness.js";
import { describeWithBot } from "../support/describe-with-bot.js";
import { addVms, blocksText, ephemeralNow, latestEphemeral, pollUntil } from "../support/slack-helpers.js";

describeWithBot("Notifications", (t) => {
  const user = USERS.operator.id;

  /** /vm start of a VM the cloud accepts and then fails: the requester is told by a vm_action_failed. */
  async function failedStart(bot: RunningBot) {
    const [vm] = await addVms(bot, 1, { status: "stopped" });
    await bot.providers.simulator("simulator").injectFault(vm!.providerResourceId, "start", "Quota exceeded for cores in sim-east-1");
    await t.harness.workspace.command(user, "/vm", "start vm-001");
    return pollUntil(() => t.harness.bot.db.prisma.notification.findFirst({ where: { kind: "vm_action_failed", status: "sent" } }).then((row) => row ?? undefined), 15_000);
  }

  const homeText = () => blocksText(t.harness.standIn.homeView(user)?.blocks);

  it("a failed start comes as a DM; App Home shows it New; Mark read republishes it without the marker; Dismiss removes it", async () => {
    const { workspace, standIn, bot } = t.harness;
    const notification = await failedStart(bot);
    const dm = standIn.conversation(standIn.dmChannel(user).id).filter((message) => message.text.includes("Start of vm-001 failed"));
    expect(dm).toHaveLength(1);
    expect(dm[0]!.ts).toBe(notification.dmTs);
    expect(blocksText(dm[0]!.blocks)).toContain("Quota exceeded for cores in sim-east-1");

    await workspace.openHome(user);
    await standIn.waitFor(() => homeText().includes("*New* · :warning: Start of vm-001 failed"));
    expect(homeText()).toContain("Notifications (1 unread)");
    const home = standIn.homeView(user)!;

    await workspace.clickButton(user, { viewId: home.id }, "notification_read", { blockId: `notification_actions:${notification.id}` });
    await standIn.waitFor(() => homeText().includes(":warning: Start of vm-001 failed") && !homeText().includes("*New*"));
    expect(homeText()).not.toContain("unread");
    expect((await bot.db.prisma.notification.findUniqueOrThrow({ where: { id: notification.id } })).readAt).not.toBeNull();

    await workspace.clickButton(user, { viewId: home.id }, "notification_dismiss", { blockId: `notification_actions:${notification.id}` });
    await standIn.waitFor(() => !homeText().includes("Start of vm-001 failed"));
    expect(homeText()).toContain("Nothing to tell you.");
    expect((await bot.db.prisma.notification.findUniqueOrThrow({ where: { id: notification.id } })).dismissedAt).not.toBeNull();
  });

  it("/vm notifications lists the unread ones; Mark read redraws the list in place; Mark all read in App Home", async () => {
    const { workspace, standIn, bot } = t.harness;
    const notification = await failedStart(bot);
    const me = await bot.db.prisma.user.findFirstOrThrow({ where: { slackUserId: user } });
    await bot.services.notifications.notify({ userId: me.id, kind: "dependency_blocked", payload: { text: "Your start of api was not sent to the cloud" } });

    await workspace.command(user, "/vm", "notifications");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "2 unread" }));
    expect(blocksText(list.blocks)).toContain("Start of vm-001 failed");
    await workspace.clickButton(user, { channel: list.channel, ts: list.ts }, "notification_read", { blockId: `notification_actions:${notification.id}` });
    await standIn.waitFor(() => {
      const now = ephemeralNow(standIn, user, { channel: list.channel, ts: list.ts });
      return now && blocksText(now.blocks).includes("1 unread") && !blocksText(now.blocks).includes("vm-001");
    });

    await workspace.command(user, "/vm", "notifications all");
    const all = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "the latest 2 not dismissed" }));
    expect(blocksText(all.blocks)).toContain("Start of vm-001 failed");

    await workspace.openHome(user);
    await standIn.waitFor(() => homeText().includes("Notifications (1 unread)"));
    await workspace.clickButton(user, { viewId: standIn.homeView(user)!.id }, "notification_read_all");
    await standIn.waitFor(() => homeText().includes("Your start of api") && !homeText().includes("*New*"));
    expect(await bot.db.prisma.notification.count({ where: { readAt: null } })).toBe(0);
  });

  it("Notification settings turns a kind's DM off: the next one is listed, not sent", async () => {
    const { workspace, standIn, bot } = t.harness;
    await workspace.openHome(user);
    const home = await standIn.waitFor(() => standIn.homeView(user));
    await workspace.clickButton(user, { viewId: home.id }, "notification_preference");
    const modal = await standIn.waitFor(() => standIn.openViews(user)[0]);
    expect(modal.callback_id).toBe("notification_settings_modal");
    expect(blocksText(modal.blocks)).toContain("A VM start or stop failed");
    // Everything ticked but vm_action_failed.
    const kinds = (modal.blocks as { block_id?: string; element?: { options?: { value: string }[] } }[]).filter((block) => block.block_id?.startsWith("notification_dm:"));
    const values = Object.fromEntries(kinds.map((block) => [`${block.block_id}::dm`, block.element!.options!.map((option) => option.value).filter((kind) => kind !== "vm_action_failed")]));
    expect((await workspace.submitView(user, modal.id, values)).status).toBe(200);
    await pollUntil(() => bot.db.prisma.notificationPreference.findFirst({ where: { kind: "vm_action_failed", dm: false } }).then((row) => row ?? undefined));
    expect(await bot.db.prisma.notificationPreference.count()).toBe(1); // only what changed

    standIn.reset();
    const [vm] = await addVms(bot, 1, { status: "stopped" });
    await bot.providers.simulator("simulator").injectFault(vm!.providerResourceId, "start", "Quota exceeded");
    await workspace.command(user, "/vm", "start vm-001");
    await pollUntil(() => bot.db.prisma.notification.findFirst({ where: { kind: "vm_action_failed", status: "sent" } }).then((row) => row ?? undefined), 15_000);
    await t.harness.idle();
    expect(standIn.conversation(standIn.dmChannel(user).id).some((message) => message.text.includes("Start of vm-001 failed"))).toBe(false);
    await workspace.openHome(user);
    await standIn.waitFor(() => homeText().includes("*New* · :warning: Start of vm-001 failed"));
  });
});
