// Environment access through Slack as people meet it: signed requests into Bolt's HTTP receiver, the bot's
// Web API calls answered (and spec-checked) by the stand-in, notifications delivered as DMs in the background.
// A user asks with `/vm env request`; the environment's admin approves from the DM button; the global admin's
// DM is redrawn to say who decided; the requester is told and then starts a VM of the environment. Deny asks
// for a reason in a modal; "Request access" on an environment the user cannot open files a request too.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { RunningBot } from "../../src/bot.js";
import type { StoredMessage } from "../../src/playground/slack/index.js";
import { startHarness, TEAM_ID, USERS, type BotHarness } from "../support/bot-harness.js";
import { describeEachDialect } from "../support/dialects.js";
import { blocksText, botMessages, pollUntil } from "../support/slack-helpers.js";

const ENV_ADMIN = { id: "U0ENVADMIN", name: "eve", email: "eve@example.com" };

/** Environment `demo` with one stopped VM, `demo-api`; eve is its admin (env_admin flag and an admin grant); ada is known as the global admin. */
async function declareDemo(bot: RunningBot) {
  const instance = await bot.providers.simulator("simulator").registerInstance({ name: "demo-api", region: "sim-1", state: "stopped" });
  const environment = await bot.db.prisma.environment.create({ data: { name: "demo", groups: { create: [{ name: "app" }] } }, include: { groups: true } });
  await bot.db.prisma.vm.create({ data: { name: "demo-api", provider: "simulator", region: "sim-1", status: "stopped", providerResourceId: instance.resourceId, groupId: environment.groups[0]!.id } });
  await bot.db.prisma.user.create({ data: { teamId: TEAM_ID, slackUserId: USERS.admin.id, displayName: USERS.admin.name, role: "admin" } });
  await bot.db.prisma.user.create({
    data: { teamId: TEAM_ID, slackUserId: ENV_ADMIN.id, displayName: ENV_ADMIN.name, role: "viewer", envAdmin: true, environmentAccess: { create: [{ environmentId: environment.id, level: "admin" }] } },
  });
  return environment;
}

/** The bot's DM to a user that contains `text` (delivered in the background: poll until it is there). */
function dmTo(harness: BotHarness, userId: string, text: string): Promise<StoredMessage & { channel: string }> {
  const channel = harness.standIn.dmChannel(userId).id;
  return pollUntil(async () => {
    const message = harness.standIn.conversation(channel).find((entry) => entry.bot_id && (blocksText(entry.blocks).includes(text) || entry.text?.includes(text)));
    return message ? { ...message, channel } : undefined;
  }, 10_000);
}

function postedTo(harness: BotHarness, userId: string): string[] {
  const channel = harness.standIn.dmChannel(userId).id;
  return harness.standIn.callsTo("chat.postMessage").filter((call) => call.args.channel === channel).map((call) => blocksText(call.args.blocks) || String(call.args.text));
}

describeEachDialect("environment access end to end", (dialect) => {
  let harness: BotHarness;
  beforeAll(async () => {
    harness = await startHarness(dialect);
  });
  afterEach(async () => {
    await harness.idle();
    expect(harness.standIn.violations).toEqual([]);
    await harness.reset();
  });
  afterAll(async () => harness?.stop());

  it("request -> the env admin approves from the DM -> the other approver's DM is redrawn -> the requester starts a VM of the environment", async () => {
    const { workspace, standIn, bot } = harness;
    workspace.addUser({ id: ENV_ADMIN.id, name: ENV_ADMIN.name, email: ENV_ADMIN.email, real_name: ENV_ADMIN.name });
    await declareDemo(bot);

    await workspace.command(USERS.operator.id, "/vm", "env request demo user for 3d demo for ACME on Monday");
    const filed = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((message) => message.text.includes("Requested")), 10_000);
    expect(filed.text).toContain("Requested *user* access to *demo* (3 days): 2 approvers notified");

    // Both approvers get the DM with Approve / Deny; nobody else does.
    const evesDm = await dmTo(harness, ENV_ADMIN.id, "asks for user access to demo");
    const adasDm = await dmTo(harness, USERS.admin.id, "asks for user access to demo");
    expect(blocksText(evesDm.blocks)).toContain('otto asks for user access to demo (3 days): "demo for ACME on Monday"');
    expect(JSON.stringify(evesDm.blocks)).toContain("notify_access_approve");
    expect(postedTo(harness, USERS.operator.id)).toEqual([]);

    await workspace.clickButton(ENV_ADMIN.id, { channel: evesDm.channel, ts: evesDm.ts }, "notify_access_approve");
    const approved = await standIn.waitFor(() => standIn.ephemerals({ user: ENV_ADMIN.id }).find((message) => message.text.includes("Approved")), 10_000);
    expect(approved.text).toMatch(/^:white_check_mark: Approved: <@U0OPERATOR> has \*user\* access to \*demo\* until <!date\^\d+\^/);

    // Ada's DM is redrawn in place (chat.update) to say who decided, without the buttons.
    const redrawn = await standIn.waitFor(() => {
      const now = standIn.message(adasDm.channel, adasDm.ts);
      return now && blocksText(now.blocks).includes("Approved by eve") ? now : undefined;
    }, 10_000);
    expect(JSON.stringify(redrawn.blocks)).not.toContain("notify_access_approve");
    expect(standIn.callsTo("chat.update").some((call) => call.args.channel === adasDm.channel && call.args.ts === adasDm.ts)).toBe(true);
    expect(blocksText(standIn.message(evesDm.channel, evesDm.ts)?.blocks)).toContain("Approved by eve");

    // The requester is told by DM, then starts the environment's VM.
    const told = await dmTo(harness, USERS.operator.id, "approved your request");
    expect(blocksText(told.blocks)).toContain("eve approved your request: you have user access to demo until");
    const grant = await bot.db.prisma.environmentAccess.findFirstOrThrow({ where: { user: { slackUserId: USERS.operator.id } }, include: { grantedBy: true } });
    expect(grant).toMatchObject({ level: "user", status: "active", grantedBy: { slackUserId: ENV_ADMIN.id } });
    expect(grant.expiresAt!.getTime() - grant.grantedAt.getTime()).toBe(72 * 3_600_000);

    await workspace.command(USERS.operator.id, "/vm", "start demo-api");
    await standIn.waitFor(() => botMessages(standIn).find((message) => blocksText(message.blocks).includes("Started 1 VM")), 15_000);
    await harness.idle();
    expect((await bot.db.prisma.vm.findUniqueOrThrow({ where: { name: "demo-api" } })).status).toBe("running");
    const audit = await bot.db.prisma.auditLog.findMany({ where: { action: { in: ["access_requested", "access_granted", "vm_start"] } }, include: { user: true }, orderBy: { id: "asc" } });
    expect(audit.map((row) => `${row.action} ${row.outcome} ${row.user?.slackUserId}`)).toEqual([
      `access_requested succeeded ${USERS.operator.id}`,
      `access_granted succeeded ${ENV_ADMIN.id}`,
      `vm_start initiated ${USERS.operator.id}`,
      `vm_start succeeded ${USERS.operator.id}`,
    ]);
  });

  it("Deny asks for a reason in a modal; the requester reads it; a second request for the same level is refused naming the first", async () => {
    const { workspace, standIn, bot } = harness;
    workspace.addUser({ id: ENV_ADMIN.id, name: ENV_ADMIN.name, email: ENV_ADMIN.email, real_name: ENV_ADMIN.name });
    await declareDemo(bot);
    await workspace.command(USERS.viewer.id, "/vm", "env request demo viewer look at the logs");
    await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => message.text.includes("Requested")), 10_000);
    await workspace.command(USERS.viewer.id, "/vm", "env request demo viewer look at the logs again");
    const refused = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => message.text.includes("already asked")), 10_000);
    const request = await bot.db.prisma.accessRequest.findFirstOrThrow();
    expect(refused.text).toContain(`You already asked for viewer access to demo (request #${request.id}`);

    const evesDm = await dmTo(harness, ENV_ADMIN.id, "asks for viewer access to demo");
    await workspace.clickButton(ENV_ADMIN.id, { channel: evesDm.channel, ts: evesDm.ts }, "notify_access_deny");
    const modal = await standIn.waitFor(() => standIn.openViews(ENV_ADMIN.id)[0], 10_000);
    expect(blocksText(modal.blocks)).toContain("Deny vera viewer access to *demo*");
    const empty = await workspace.submitView(ENV_ADMIN.id, modal.id, { reason: "no" });
    expect(empty.responseAction).toBe("errors");
    await workspace.submitView(ENV_ADMIN.id, modal.id, { reason: "use the staging copy" });

    const told = await dmTo(harness, USERS.viewer.id, "denied your request");
    expect(blocksText(told.blocks)).toContain("eve denied your request for viewer access to demo.");
    expect(blocksText(told.blocks)).toContain("use the staging copy");
    await dmTo(harness, ENV_ADMIN.id, "Denied <@U0VIEWER01> viewer access to *demo*");
    const adasDm = await dmTo(harness, USERS.admin.id, "asks for viewer access to demo");
    await standIn.waitFor(() => blocksText(standIn.message(adasDm.channel, adasDm.ts)?.blocks).includes("Denied by eve") || undefined, 10_000);
    expect(await bot.db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "denied", decisionNote: "use the staging copy" });
    expect(await bot.db.prisma.environmentAccess.count({ where: { user: { slackUserId: USERS.viewer.id } } })).toBe(0);
  });

  it("an environment the user cannot open offers Request access: the modal files the request; grant, access and revoke by its admin", async () => {
    const { workspace, standIn, bot } = harness;
    workspace.addUser({ id: ENV_ADMIN.id, name: ENV_ADMIN.name, email: ENV_ADMIN.email, real_name: ENV_ADMIN.name });
    await declareDemo(bot);
    // The list shows only what the user may open; asking for one by name answers with the way in.
    await workspace.command(USERS.viewer.id, "/vm", "env list");
    const listed = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id })[0], 10_000);
    expect(`${listed.text} ${blocksText(listed.blocks)}`).not.toContain("demo");
    await workspace.command(USERS.viewer.id, "/vm", "env show demo");
    const list = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => blocksText(message.blocks).includes("Request access to demo")), 10_000);
    expect(list.text).toMatch(/^:no_entry: Your access to environment \W?demo\W? does not allow vm view/);
    await workspace.clickButton(USERS.viewer.id, { channel: list.channel, ts: list.ts }, "env_request_access");
    const modal = await standIn.waitFor(() => standIn.openViews(USERS.viewer.id)[0], 10_000);
    await workspace.submitView(USERS.viewer.id, modal.id, { justification: "on call next week" });
    await dmTo(harness, USERS.viewer.id, "Requested *user* access to *demo* (7 days); 2 approvers notified");
    expect(await bot.db.prisma.accessRequest.findFirstOrThrow()).toMatchObject({ requestedLevel: "user", durationHours: 168, reason: "on call next week", status: "pending" });

    // The environment's admin grants directly (a mention as Slack sends it), lists, and revokes.
    await workspace.command(ENV_ADMIN.id, "/vm", `env grant <@${USERS.operator.id}|otto> demo viewer for 12h`);
    await standIn.waitFor(() => standIn.ephemerals({ user: ENV_ADMIN.id }).find((message) => message.text.includes(`<@${USERS.operator.id}> has *viewer* access to *demo* until`)), 10_000);
    await workspace.command(ENV_ADMIN.id, "/vm", "env access demo");
    const listing = await standIn.waitFor(() => standIn.ephemerals({ user: ENV_ADMIN.id }).find((message) => blocksText(message.blocks).includes("Access to demo")), 10_000);
    expect(blocksText(listing.blocks)).toContain(`<@${ENV_ADMIN.id}> *admin*`);
    expect(blocksText(listing.blocks)).toContain(`<@${USERS.operator.id}> *viewer*`);
    expect(blocksText(listing.blocks)).toContain(`<@${USERS.viewer.id}> asks for *user* (7 days)`);
    await workspace.command(ENV_ADMIN.id, "/vm", `env revoke <@${USERS.operator.id}|otto> demo`);
    await standIn.waitFor(() => standIn.ephemerals({ user: ENV_ADMIN.id }).find((message) => message.text.includes(`Revoked <@${USERS.operator.id}>'s viewer access`)), 10_000);
    await dmTo(harness, USERS.operator.id, "eve revoked your viewer access to demo");

    // Someone who is not its admin is refused, and the refusal is audited.
    await workspace.command(USERS.viewer.id, "/vm", `env grant <@${USERS.viewer.id}|vera> demo user`);
    const refusal = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.viewer.id }).find((message) => message.text.startsWith(":no_entry:") && message.text.includes("access grant")), 10_000);
    expect(refusal.text).toContain("Your access to environment demo does not allow access grant");
    expect(await bot.db.prisma.auditLog.findFirst({ where: { outcome: "denied", action: "access_granted" }, include: { user: true } })).toMatchObject({ user: { slackUserId: USERS.viewer.id } });

    // env_admin is a global admin's to set.
    await workspace.command(USERS.admin.id, "/vm", `role <@${USERS.operator.id}|otto> env_admin on`);
    await standIn.waitFor(() => standIn.ephemerals({ user: USERS.admin.id }).find((message) => message.text.includes("may now be made an environment admin")), 10_000);
    expect(await bot.db.prisma.user.findFirstOrThrow({ where: { slackUserId: USERS.operator.id } })).toMatchObject({ envAdmin: true });
  });

  it("temporary access ending within 24 h: the holder's DM warning has Request an extension, which files a request for the same level and length", async () => {
    const { workspace, standIn, bot } = harness;
    workspace.addUser({ id: ENV_ADMIN.id, name: ENV_ADMIN.name, email: ENV_ADMIN.email, real_name: ENV_ADMIN.name });
    const environment = await declareDemo(bot);
    const now = Date.now();
    await bot.db.prisma.user.create({
      data: {
        teamId: TEAM_ID,
        slackUserId: USERS.operator.id,
        displayName: USERS.operator.name,
        role: "operator",
        environmentAccess: { create: [{ environmentId: environment.id, level: "user", grantedAt: new Date(now - 52 * 3_600_000), expiresAt: new Date(now + 20 * 3_600_000) }] },
      },
    });
    expect(await bot.services.access.warnExpiringAccess()).toBe(1);
    const warning = await dmTo(harness, USERS.operator.id, "Your user access to demo ends in about 20 hours");
    await workspace.clickButton(USERS.operator.id, { channel: warning.channel, ts: warning.ts }, "notify_access_extend");
    const asked = await standIn.waitFor(() => standIn.ephemerals({ user: USERS.operator.id }).find((message) => message.text.includes("Asked for another")), 10_000);
    expect(asked.text).toBe(":envelope: Asked for another 3 days of *user* access to *demo*; you get the decision by DM.");
    await dmTo(harness, ENV_ADMIN.id, 'otto asks for user access to demo (3 days): "Extension of my user access');
    expect(await bot.db.prisma.accessRequest.findFirstOrThrow()).toMatchObject({ requestedLevel: "user", durationHours: 72, status: "pending" });
  });

  it("a decision that comes second (a Deny modal submitted after the other approver approved) is told who decided first, in Slack's time", async () => {
    const { workspace, standIn, bot } = harness;
    workspace.addUser({ id: ENV_ADMIN.id, name: ENV_ADMIN.name, email: ENV_ADMIN.email, real_name: ENV_ADMIN.name });
    await declareDemo(bot);
    await workspace.command(USERS.operator.id, "/vm", "env request demo user release rehearsal");
    const evesDm = await dmTo(harness, ENV_ADMIN.id, "asks for user access to demo");
    const adasDm = await dmTo(harness, USERS.admin.id, "asks for user access to demo");
    await workspace.clickButton(ENV_ADMIN.id, { channel: evesDm.channel, ts: evesDm.ts }, "notify_access_deny");
    const modal = await standIn.waitFor(() => standIn.openViews(ENV_ADMIN.id)[0], 10_000);
    await workspace.clickButton(USERS.admin.id, { channel: adasDm.channel, ts: adasDm.ts }, "notify_access_approve");
    await dmTo(harness, USERS.operator.id, "ada approved your request");
    await workspace.submitView(ENV_ADMIN.id, modal.id, { reason: "not during the freeze" });
    const request = await bot.db.prisma.accessRequest.findFirstOrThrow();
    const epoch = Math.floor(request.decidedAt!.getTime() / 1000);
    const late = await dmTo(harness, ENV_ADMIN.id, "already approved this");
    expect(late.text).toBe(`:information_source: ada already approved this at <!date^${epoch}^{time}|${request.decidedAt!.toISOString().slice(0, 16).replace("T", " ")} UTC>.`);
    expect(request).toMatchObject({ status: "approved", decisionNote: null });
    expect(await bot.db.prisma.auditLog.count({ where: { action: "access_denied" } })).toBe(0);
  });
});
