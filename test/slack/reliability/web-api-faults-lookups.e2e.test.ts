// Reliability: Slack's Web API fails on what the bot answers a user with, beyond the outcome messages of
// web-api-faults.e2e.test.ts: rate limits (429 with Retry-After) on response_url posts, on
// chat.postEphemeral and on views.open, an error answer (invalid_blocks), a slow answer. Each time the
// bot waits and retries, or falls back to another way to reach the user, or tells them; never crashes,
// and keeps serving.
import { expect, it } from "vitest";
import { RESPONSE_URL_FAULTS } from "../../../src/playground/slack/index.js";
import { USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { addVms, blocksText, latestEphemeral } from "../../support/slack-helpers.js";

describeWithBot("Reliability: Slack Web API faults on answers to the user", (t) => {
  const listsOf = (user: string) => t.harness.standIn.ephemerals({ user }).filter((message) => blocksText(message.blocks).includes("vm-001"));
  const dmListsOf = (user: string) => t.harness.standIn.conversation(t.harness.standIn.dmChannel(user).id).filter((message) => blocksText(message.blocks).includes("vm-001"));

  async function expectStillServing() {
    const { workspace, standIn } = t.harness;
    expect((await workspace.command(USERS.operator.id, "/vm", "whoami")).status).toBe(200);
    await standIn.waitFor(() => latestEphemeral(standIn, USERS.operator.id, { containing: "role *operator*" }), 10_000);
  }

  it("a rate-limited response_url: the list still reaches the user, once, as an ephemeral message", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    standIn.failNext(RESPONSE_URL_FAULTS, { error: "rate_limited", retryAfter: 0 });
    expect((await workspace.command(USERS.viewer.id, "/vm", "list")).status).toBe(200);
    await standIn.waitFor(() => listsOf(USERS.viewer.id)[0], 10_000);
    await t.harness.idle();
    expect(standIn.calls.filter((call) => call.method === RESPONSE_URL_FAULTS).map((call) => call.error)).toEqual(["rate_limited"]);
    expect(listsOf(USERS.viewer.id)).toHaveLength(1);
    await expectStillServing();
  });

  it("response_url and chat.postEphemeral both rate-limited: the bot waits out Retry-After and delivers once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    standIn.failNext(RESPONSE_URL_FAULTS, { error: "rate_limited", retryAfter: 0 });
    standIn.failNext("chat.postEphemeral", { error: "ratelimited", retryAfter: 1 });
    expect((await workspace.command(USERS.viewer.id, "/vm", "list")).status).toBe(200);
    await standIn.waitFor(() => listsOf(USERS.viewer.id)[0], 15_000);
    await t.harness.idle();
    expect(standIn.callsTo("chat.postEphemeral").map((call) => call.error ?? "ok")).toEqual(["ratelimited", "ok"]);
    expect(listsOf(USERS.viewer.id)).toHaveLength(1);
    expect(dmListsOf(USERS.viewer.id)).toHaveLength(0);
    await expectStillServing();
  });

  it("chat.postEphemeral refused (invalid_blocks) after a dead response_url: the list goes to the user's DM", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    standIn.failNext(RESPONSE_URL_FAULTS, { error: "expired_url" });
    standIn.failNext("chat.postEphemeral", { error: "invalid_blocks" });
    expect((await workspace.command(USERS.viewer.id, "/vm", "list")).status).toBe(200);
    await standIn.waitFor(() => dmListsOf(USERS.viewer.id)[0], 10_000);
    await t.harness.idle();
    expect(listsOf(USERS.viewer.id)).toHaveLength(0);
    expect(dmListsOf(USERS.viewer.id)).toHaveLength(1);
    await expectStillServing();
  });

  it("views.open rate-limited: the filter modal opens after Retry-After, once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.viewer.id, "/vm", "list");
    const list = await standIn.waitFor(() => listsOf(USERS.viewer.id)[0], 10_000);
    standIn.failNext("views.open", { error: "ratelimited", retryAfter: 1 });
    expect((await workspace.clickButton(USERS.viewer.id, { channel: list.channel, ts: list.ts }, "vm_list_filter")).status).toBe(200);
    await standIn.waitFor(() => standIn.openViews(USERS.viewer.id)[0], 15_000);
    await t.harness.idle();
    expect(standIn.callsTo("views.open").map((call) => call.error ?? "ok")).toEqual(["ratelimited", "ok"]);
    expect(standIn.openViews(USERS.viewer.id)).toHaveLength(1);
    await expectStillServing();
  });

  it("views.open refused (invalid_blocks): the user is told it did not work", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    await workspace.command(USERS.viewer.id, "/vm", "list");
    const list = await standIn.waitFor(() => listsOf(USERS.viewer.id)[0], 10_000);
    const before = standIn.ephemerals({ user: USERS.viewer.id }).length;
    standIn.failNext("views.open", { error: "invalid_blocks" });
    expect((await workspace.clickButton(USERS.viewer.id, { channel: list.channel, ts: list.ts }, "vm_list_filter")).status).toBe(200);
    await t.harness.idle();
    const told = standIn.ephemerals({ user: USERS.viewer.id }).slice(before).map((message) => message.text ?? "");
    expect(told.join("\n")).toMatch(/went wrong|could not|couldn't/i);
    expect(standIn.openViews(USERS.viewer.id)).toHaveLength(0);
    await expectStillServing();
  });

  it("a slow chat.postEphemeral and a slow response_url: waited for, delivered once", async () => {
    const { workspace, bot, standIn } = t.harness;
    await addVms(bot, 3, { status: "stopped" });
    standIn.failNext(RESPONSE_URL_FAULTS, { delayMs: 1200 });
    expect((await workspace.command(USERS.viewer.id, "/vm", "list")).status).toBe(200);
    await standIn.waitFor(() => listsOf(USERS.viewer.id)[0], 10_000);
    await t.harness.idle();
    expect(listsOf(USERS.viewer.id)).toHaveLength(1);
    standIn.failNext("chat.postEphemeral", { delayMs: 1200 });
    standIn.failNext(RESPONSE_URL_FAULTS, { error: "expired_url" });
    expect((await workspace.command(USERS.operator.id, "/vm", "list")).status).toBe(200);
    await standIn.waitFor(() => listsOf(USERS.operator.id)[0], 10_000);
    await t.harness.idle();
    expect(listsOf(USERS.operator.id)).toHaveLength(1);
    await expectStillServing();
  });
});
