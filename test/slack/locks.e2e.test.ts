// Environment locks through Slack: signed requests into Bolt's receiver, the Web API stand-in answering (and
// spec-checking) the bot's calls. A lock by one user refuses another user's `/vm start` naming the holder; the
// refused user queues from the refusal's button; a global admin breaks the lock through the modal, the holder
// hears it by DM (notifications are delivered asynchronously: polled), and the next in line takes the lock from
// the offer's DM button.
import { expect, it } from "vitest";
import type { RunningBot } from "../../src/bot.js";
import { TEAM_ID, USERS } from "../support/bot-harness.js";
import { describeWithBot } from "../support/describe-with-bot.js";
import { blocksText, botMessages, latestEphemeral } from "../support/slack-helpers.js";

const HOLDER = { id: "U0HOLDER01", name: "hanna" };
const OTHER = { id: "U0OTHER001", name: "olga" };

/** Environment `demo` with one stopped VM, and two operators with user access to it. */
async function declareDemo(bot: RunningBot) {
  const prisma = bot.db.prisma;
  const instance = await bot.providers.simulator("simulator").registerInstance({ name: "demo-web", region: "sim-1", state: "stopped" });
  const environment = await prisma.environment.create({ data: { name: "demo" } });
  const group = await prisma.vmGroup.create({ data: { environmentId: environment.id, name: "web" } });
  await prisma.vm.create({ data: { name: "demo-web", provider: "simulator", region: "sim-1", status: "stopped", providerResourceId: instance.resourceId, groupId: group.id } });
  for (const person of [HOLDER, OTHER]) {
    const user = await prisma.user.create({ data: { teamId: TEAM_ID, slackUserId: person.id, role: "operator", displayName: person.name } });
    await prisma.environmentAccess.create({ data: { environmentId: environment.id, userId: user.id, level: "user" } });
  }
}

describeWithBot("environment locks end to end", (t) => {
  it("a lock refuses another user's start naming the holder; queue, break through the modal, hand-over by DM", async () => {
    const { workspace, standIn, bot } = t.harness;
    for (const person of [HOLDER, OTHER]) workspace.addUser({ id: person.id, name: person.name, real_name: person.name });
    await declareDemo(bot);

    await workspace.command(HOLDER.id, "/vm", "env lock demo for 2h release testing");
    const taken = await standIn.waitFor(() => botMessages(standIn).find((message) => blocksText(message.blocks).includes("locked *demo*")));
    expect(blocksText(taken.blocks)).toContain(`<@${HOLDER.id}> locked *demo* until`);
    expect(blocksText(taken.blocks)).toContain(": release testing.");

    // Another user's start is refused, naming the holder, why and until when.
    await workspace.command(OTHER.id, "/vm", "start demo-web");
    const refusal = await standIn.waitFor(() => latestEphemeral(standIn, OTHER.id, { containing: ":lock:" }));
    expect(refusal.text).toContain(`*demo* is locked by <@${HOLDER.id}> since`);
    expect(refusal.text).toContain("(release testing), until");
    await t.harness.idle();
    expect((await bot.db.prisma.vm.findFirstOrThrow({ where: { name: "demo-web" } })).status).toBe("stopped");
    const denied = await bot.db.prisma.auditLog.findFirstOrThrow({ where: { action: "vm_start", outcome: "denied" }, include: { user: true } });
    expect(denied.user?.slackUserId).toBe(OTHER.id);
    expect(denied.details).toMatchObject({ lockedBy: HOLDER.id, lockReason: "release testing" });

    // Trying to lock it shows the refusal with a queue button (no Break for a plain user).
    await workspace.command(OTHER.id, "/vm", "env lock demo");
    const lockRefusal = await standIn.waitFor(() => latestEphemeral(standIn, OTHER.id, { containing: "Notify me / queue" }));
    expect(blocksText(lockRefusal.blocks)).not.toContain("Break lock");
    await workspace.clickButton(OTHER.id, { channel: lockRefusal.channel, ts: lockRefusal.ts }, "lock_queue");
    await standIn.waitFor(() => latestEphemeral(standIn, OTHER.id, { containing: "You are #1 in the queue for *demo*" }));

    // A global admin breaks it from the refusal's button; the modal insists on a reason.
    const admin = USERS.admin.id;
    await workspace.command(admin, "/vm", "env lock demo");
    const adminRefusal = await standIn.waitFor(() => latestEphemeral(standIn, admin, { containing: "Break lock" }));
    await workspace.clickButton(admin, { channel: adminRefusal.channel, ts: adminRefusal.ts }, "lock_open_break");
    const modal = await standIn.waitFor(() => standIn.openViews(admin)[0]);
    expect(modal.callback_id).toBe("lock_break_modal");
    const tooShort = await workspace.submitView(admin, modal.id, { reason: "because" });
    expect(tooShort.responseAction).toBe("errors");
    expect(await bot.db.prisma.environmentLock.count()).toBe(1);
    const submitted = await workspace.submitView(admin, modal.id, { reason: "incident 42 needs the environment now" });
    expect(submitted.status).toBe(200);
    const brokenNotice = await standIn.waitFor(() => botMessages(standIn).find((message) => blocksText(message.blocks).includes("broke")));
    expect(blocksText(brokenNotice.blocks)).toBe(`:hammer: <@${admin}> broke <@${HOLDER.id}>'s lock on *demo*: incident 42 needs the environment now`);

    // The holder hears it by DM, with who broke it and why.
    const holderDm = standIn.dmChannel(HOLDER.id).id;
    const told = await standIn.waitFor(() => botMessages(standIn, holderDm).find((message) => blocksText(message.blocks).includes("broke your lock on demo")), 5000);
    expect(blocksText(told.blocks)).toContain("ada broke your lock on demo: incident 42 needs the environment now");
    expect(await bot.db.prisma.auditLog.count({ where: { action: "lock_broken", outcome: "succeeded" } })).toBe(1);

    // The next in line is offered the lock by DM and takes it with the button.
    const otherDm = standIn.dmChannel(OTHER.id).id;
    const offer = await standIn.waitFor(() => botMessages(standIn, otherDm).find((message) => blocksText(message.blocks).includes("Take the lock")), 5000);
    await workspace.clickButton(OTHER.id, { channel: otherDm, ts: offer.ts }, "notify_lock_take");
    await standIn.waitFor(() => (standIn.ephemerals({ user: OTHER.id }).some((message) => message.text.includes("*demo* is yours")) ? true : undefined));
    const lock = await bot.db.prisma.environmentLock.findFirstOrThrow({ include: { holder: true } });
    expect(lock.holder.slackUserId).toBe(OTHER.id);
    // The offer's DM is redrawn without its button once taken.
    await standIn.waitFor(() => (!blocksText(standIn.message(otherDm, offer.ts)?.blocks).includes("Take the lock") ? true : undefined), 5000);

    // App Home shows the new holder's lock; `/vm env locks` lists it.
    await workspace.openHome(OTHER.id);
    const home = await standIn.waitFor(() => standIn.homeView(OTHER.id));
    expect(blocksText(home.blocks)).toContain("*demo* held by you since");
    await workspace.command(HOLDER.id, "/vm", "env locks");
    const list = await standIn.waitFor(() => latestEphemeral(standIn, HOLDER.id, { containing: "Locked environments" }));
    expect(blocksText(list.blocks)).toContain(`*demo* is locked by <@${OTHER.id}> since`);
  });
});
