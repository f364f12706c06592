// A tiny real Bolt app (HTTP receiver, real @slack/web-api client) talking to the fake Slack.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, LogLevel, type BlockAction, type SlashCommand } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loadSlackSpecValidator, SlackWebApiStandIn, WorkspaceSimulator, type JsonObject } from "../../../src/playground/slack/index.js";
import { EVENTS_WRAPPER_SCHEMA_PATH, SLACK_API_SPEC_PATH } from "./spec-path.js";

const SIGNING_SECRET = "playground-signing-secret";
const ALICE = "U0ALICE001";
const BOB = "U0BOB00001";
const VMS = ["web-1", "web-2", "db-1"];

const option = (value: string) => ({ text: { type: "plain_text" as const, text: value }, value });

/** What the listeners saw, for assertions on payloads as Bolt parsed them. */
interface Seen {
  commands: SlashCommand[];
  actions: BlockAction[];
  submissions: JsonObject[];
  closed: JsonObject[];
  suggestions: JsonObject[];
  homeEvents: { event: JsonObject; retryNum: number | undefined; retryReason: string | undefined }[];
}

let standIn: SlackWebApiStandIn;
let app: App;
let workspace: WorkspaceSimulator;
let seen: Seen;
let boltStartupCalls: string[];

function buildApp(slackApiUrl: string): App {
  const bolt = new App({
    token: "xoxb-playground-token",
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });

  bolt.command("/vm", async ({ command, ack, respond }) => {
    seen.commands.push(command);
    await ack();
    await respond({
      text: "Your VMs",
      blocks: [
        { type: "section", block_id: "list", text: { type: "mrkdwn", text: "*Your VMs*" } },
        { type: "actions", block_id: "pick", elements: [{ type: "checkboxes", action_id: "vm_select", options: VMS.map(option) }] },
        {
          type: "actions",
          block_id: "buttons",
          elements: [
            {
              type: "button",
              action_id: "vm_start",
              value: "start",
              text: { type: "plain_text", text: "Start" },
              confirm: { title: { type: "plain_text", text: "Sure?" }, text: { type: "plain_text", text: "Start them?" }, confirm: { type: "plain_text", text: "Start" }, deny: { type: "plain_text", text: "No" } },
            },
            { type: "button", action_id: "open_create", text: { type: "plain_text", text: "New VM" } },
          ],
        },
      ],
    });
  });

  bolt.command("/vm-help", async ({ ack }) => {
    await ack({ text: "Try /vm list", response_type: "ephemeral" });
  });

  bolt.action("vm_select", async ({ ack }) => {
    await ack();
  });

  bolt.action<BlockAction>("vm_start", async ({ ack, body, respond }) => {
    seen.actions.push(body);
    await ack();
    const selected = body.state?.values.pick?.vm_select?.selected_options?.map((picked) => picked.value) ?? [];
    await respond({ replace_original: true, text: `Starting ${selected.join(", ")}` });
  });

  bolt.action<BlockAction>("open_create", async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: "modal",
        callback_id: "vm_create",
        notify_on_close: true,
        private_metadata: JSON.stringify({ channel: body.channel?.id }),
        title: { type: "plain_text", text: "New VM" },
        submit: { type: "plain_text", text: "Create" },
        blocks: [
          { type: "input", block_id: "name", label: { type: "plain_text", text: "Name" }, element: { type: "plain_text_input", action_id: "value" } },
          { type: "input", block_id: "size", label: { type: "plain_text", text: "Size" }, element: { type: "static_select", action_id: "value", options: ["small", "large"].map(option), initial_option: option("small") } },
          { type: "input", block_id: "clone", optional: true, label: { type: "plain_text", text: "Clone of" }, element: { type: "external_select", action_id: "vm_pick", min_query_length: 1 } },
        ],
      },
    });
  });

  bolt.options("vm_pick", async ({ options, ack }) => {
    seen.suggestions.push(options as unknown as JsonObject);
    await ack({ options: VMS.filter((vm) => vm.startsWith(options.value)).map(option) });
  });

  bolt.view("vm_create", async ({ ack, view, body }) => {
    seen.submissions.push(body as unknown as JsonObject);
    const name = view.state.values.name?.value?.value ?? "";
    if (!/^[a-z0-9-]+$/.test(name)) {
      await ack({ response_action: "errors", errors: { name: "Use lowercase letters, digits and dashes" } });
      return;
    }
    await ack();
  });

  bolt.view({ callback_id: "vm_create", type: "view_closed" }, async ({ ack, body }) => {
    seen.closed.push(body as unknown as JsonObject);
    await ack();
  });

  bolt.event("app_home_opened", async ({ event, client, context }) => {
    seen.homeEvents.push({ event: event as unknown as JsonObject, retryNum: context.retryNum, retryReason: context.retryReason });
    await client.views.publish({ user_id: event.user, view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: `Hello <@${event.user}>` } }] } });
  });

  return bolt;
}

beforeAll(async () => {
  standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH) });
  standIn.addUser({ id: ALICE, name: "alice", email: "alice@example.com" });
  standIn.addUser({ id: BOB, name: "bob", email: "bob@example.com" });
  app = buildApp(standIn.apiUrl);
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  workspace = new WorkspaceSimulator({ standIn, botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signingSecret: SIGNING_SECRET });
  await standIn.waitFor(() => standIn.callsTo("auth.test")[0]);
  boltStartupCalls = standIn.calls.map((call) => `${call.method}:${call.ok}`);
});

afterAll(async () => {
  await app.stop();
  await standIn.close();
});

beforeEach(() => {
  standIn.reset();
  seen = { commands: [], actions: [], submissions: [], closed: [], suggestions: [], homeEvents: [] };
});

afterEach(() => {
  // Every call Bolt and the listeners made must be one Slack's own spec accepts.
  expect(standIn.violations).toEqual([]);
});

/** Runs /vm for alice and returns the ephemeral list her respond() produced. */
async function aliceListsVms() {
  const reply = await workspace.command(ALICE, "/vm", "list status:running");
  expect(reply.status).toBe(200);
  return standIn.waitFor(() => standIn.ephemerals({ user: ALICE }).find((message) => message.text === "Your VMs"));
}

describe("slash commands", () => {
  it("delivers a signed command to the handler, and its respond() lands via response_url as an ephemeral", async () => {
    const list = await aliceListsVms();
    expect(seen.commands[0]).toMatchObject({
      command: "/vm",
      text: "list status:running",
      user_id: ALICE,
      user_name: "alice",
      channel_id: standIn.defaultChannel.id,
      channel_name: "general",
      team_id: standIn.identity.teamId,
      api_app_id: standIn.identity.appId,
    });
    expect(seen.commands[0]?.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    expect(list.channel).toBe(standIn.defaultChannel.id);
    expect(list.blocks?.map((block) => block.block_id)).toEqual(["list", "pick", "buttons"]);
    expect(standIn.ephemerals({ user: BOB })).toEqual([]);
    expect(standIn.conversation(standIn.defaultChannel.id)).toEqual([]);
  });

  it("shows a command's ack body as Slack does", async () => {
    const reply = await workspace.command(BOB, "/vm-help");
    expect(reply.body).toEqual({ text: "Try /vm list", response_type: "ephemeral" });
    expect(standIn.ephemerals({ user: BOB })).toMatchObject([{ text: "Try /vm list", origin: "command_response" }]);
  });
});

describe("request signing", () => {
  it("refuses a wrong signature, a stale timestamp and a missing signature with 401", async () => {
    expect((await workspace.command(ALICE, "/vm", "list", { delivery: { signature: "wrong" } })).status).toBe(401);
    expect((await workspace.command(ALICE, "/vm", "list", { delivery: { staleTimestamp: true } })).status).toBe(401);
    expect((await workspace.openHome(ALICE, { delivery: { signature: "missing" } })).status).toBe(401);
    expect(seen.commands).toEqual([]);
    expect(seen.homeEvents).toEqual([]);
  });

  it("signs with v0=HMAC_SHA256(secret, v0:timestamp:body)", async () => {
    await workspace.command(ALICE, "/vm-help");
    const { headers, requestBody } = workspace.deliveries.at(-1)!;
    const { createHmac } = await import("node:crypto");
    const expected = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${headers["x-slack-request-timestamp"]}:${requestBody}`).digest("hex")}`;
    expect(headers["x-slack-signature"]).toBe(expected);
  });
});

describe("message interactions", () => {
  it("carries every user's own input state with a later click, and replace_original rewrites the message", async () => {
    const list = await aliceListsVms();
    const target = { channel: list.channel, ts: list.ts };

    const ticked = await workspace.selectCheckboxes(ALICE, target, "vm_select", ["web-1", "db-1"]);
    expect(ticked.status).toBe(200);
    const clicked = await workspace.clickButton(ALICE, target, "vm_start");
    expect(clicked.status).toBe(200);

    const action = seen.actions[0]!;
    expect(action.container).toEqual({ type: "message", message_ts: list.ts, channel_id: list.channel, is_ephemeral: true });
    expect(action.actions[0]).toMatchObject({ type: "button", action_id: "vm_start", block_id: "buttons", value: "start" });
    expect(action.state?.values.pick?.vm_select).toEqual({ type: "checkboxes", selected_options: [option("web-1"), option("db-1")] });
    expect(action.response_url).toMatch(new RegExp(`^${standIn.baseUrl}/response/`));

    const replaced = await standIn.waitFor(() => standIn.ephemerals({ user: ALICE }).find((message) => message.ts === list.ts && message.text.startsWith("Starting")));
    expect(replaced.text).toBe("Starting web-1, db-1");
    expect(replaced.blocks).toBeUndefined();
  });

  it("keeps each user's input state apart on a channel message", async () => {
    const posted = await app.client.chat.postMessage({
      channel: standIn.defaultChannel.id,
      text: "Team VMs",
      blocks: [
        { type: "actions", block_id: "pick", elements: [{ type: "checkboxes", action_id: "vm_select", options: VMS.map(option) }] },
        { type: "actions", block_id: "buttons", elements: [{ type: "button", action_id: "vm_start", value: "start", text: { type: "plain_text", text: "Start" } }] },
      ],
    });
    const target = { channel: posted.channel!, ts: posted.ts! };
    await workspace.selectCheckboxes(ALICE, target, "vm_select", ["web-1"]);
    await workspace.selectCheckboxes(BOB, target, "vm_select", ["web-2", "db-1"]);
    await workspace.clickButton(ALICE, target, "vm_start");

    expect(seen.actions[0]?.state?.values.pick?.vm_select?.selected_options).toEqual([option("web-1")]);
    expect(seen.actions[0]?.container).toMatchObject({ is_ephemeral: false });
    expect(seen.actions[0]?.message).toMatchObject({ ts: posted.ts, text: "Team VMs", bot_id: standIn.identity.botId });
    const replaced = await standIn.waitFor(() => standIn.message(target.channel, target.ts)?.text.startsWith("Starting") && standIn.message(target.channel, target.ts));
    expect(replaced).toMatchObject({ text: "Starting web-1" });
    expect(replaced.edited).toBeUndefined();
  });

  it("sends nothing when the user cancels a confirm dialog", async () => {
    const list = await aliceListsVms();
    const before = workspace.deliveries.length;
    const reply = await workspace.clickButton(ALICE, { channel: list.channel, ts: list.ts }, "vm_start", { confirm: false });
    expect(reply).toMatchObject({ sent: false, notSentReason: "not_confirmed", status: 0 });
    expect(workspace.deliveries.length).toBe(before);
  });
});

describe("modals", () => {
  async function aliceOpensCreateModal() {
    const list = await aliceListsVms();
    await workspace.clickButton(ALICE, { channel: list.channel, ts: list.ts }, "open_create");
    return standIn.waitFor(() => standIn.openViews(ALICE)[0]);
  }

  it("returns response_action errors to the caller and keeps the view open", async () => {
    const view = await aliceOpensCreateModal();
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: standIn.defaultChannel.id });

    const reply = await workspace.submitView(ALICE, view.id, { "name::value": "Bad Name" });
    expect(reply).toMatchObject({ status: 200, responseAction: "errors", errors: { name: "Use lowercase letters, digits and dashes" }, problems: [] });
    expect(standIn.openViews(ALICE).map((open) => open.id)).toEqual([view.id]);

    const submitted = seen.submissions[0]!;
    expect(submitted).toMatchObject({ type: "view_submission", user: { id: ALICE }, view: { id: view.id, callback_id: "vm_create", hash: view.hash } });
    expect((submitted.view as { state: unknown }).state).toEqual({
      values: {
        name: { value: { type: "plain_text_input", value: "Bad Name" } },
        size: { value: { type: "static_select", selected_option: option("small") } },
        clone: { vm_pick: { type: "external_select", selected_option: null } },
      },
    });
  });

  it("closes the view on a plain ack, and refuses to submit with a required input empty", async () => {
    const view = await aliceOpensCreateModal();
    const empty = await workspace.submitView(ALICE, view.id);
    expect(empty).toMatchObject({ sent: false, notSentReason: "required_inputs_empty", clientErrors: { name: expect.any(String) } });

    const reply = await workspace.submitView(ALICE, view.id, { "name::value": "web-3", "size::value": "large" });
    expect(reply).toMatchObject({ status: 200, responseAction: "close", topView: undefined });
    expect(standIn.openViews(ALICE)).toEqual([]);
  });

  it("round-trips block_suggestion options for an external select", async () => {
    const view = await aliceOpensCreateModal();
    const reply = await workspace.suggest(ALICE, { viewId: view.id }, "vm_pick", "web");
    expect(reply.options).toEqual([option("web-1"), option("web-2")]);
    expect(seen.suggestions[0]).toMatchObject({ type: "block_suggestion", action_id: "vm_pick", block_id: "clone", value: "web", container: { type: "view", view_id: view.id } });

    await workspace.selectOption(ALICE, { viewId: view.id }, "vm_pick", reply.options[1]!);
    await workspace.submitView(ALICE, view.id, { "name::value": "web-3" });
    const state = (seen.submissions[0]!.view as { state: { values: JsonObject } }).state.values;
    expect(state.clone).toEqual({ vm_pick: { type: "external_select", selected_option: option("web-2") } });
  });

  it("refuses views.open with an expired trigger_id", async () => {
    const expiring = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH), triggerTtlMs: 0, now: (() => { let t = 1_700_000_000_000; return () => (t += 5); })() });
    try {
      expiring.addUser({ id: ALICE, name: "alice" });
      const bolt = buildApp(expiring.apiUrl);
      const server = (await bolt.start({ port: 0, host: "127.0.0.1" })) as Server;
      const errors: unknown[] = [];
      bolt.error(async (error) => {
        errors.push(error);
      });
      const slowWorkspace = new WorkspaceSimulator({ standIn: expiring, botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signingSecret: SIGNING_SECRET });
      await slowWorkspace.command(ALICE, "/vm", "list");
      const list = await expiring.waitFor(() => expiring.ephemerals({ user: ALICE })[0]);
      await slowWorkspace.clickButton(ALICE, { channel: list.channel, ts: list.ts }, "open_create");
      const refused = await expiring.waitFor(() => expiring.callsTo("views.open")[0]);
      expect(refused).toMatchObject({ ok: false, error: "expired_trigger_id" });
      expect(expiring.openViews(ALICE)).toEqual([]);
      await vi.waitFor(() => expect(errors).toMatchObject([{ data: { error: "expired_trigger_id" } }]));
      await bolt.stop();
    } finally {
      await expiring.close();
    }
  });

  it("sends view_closed when the view asked to be notified", async () => {
    const view = await aliceOpensCreateModal();
    const reply = await workspace.closeView(ALICE, view.id);
    expect(reply.status).toBe(200);
    expect(seen.closed[0]).toMatchObject({ type: "view_closed", is_cleared: false, view: { id: view.id } });
    expect(standIn.openViews(ALICE)).toEqual([]);
  });
});

describe("Events API", () => {
  it("delivers app_home_opened in Slack's envelope; the published home comes back in the next event", async () => {
    const first = await workspace.openHome(ALICE);
    expect(first.status).toBe(200);
    const home = await standIn.waitFor(() => standIn.homeView(ALICE));
    expect(home.blocks[0]).toMatchObject({ text: { text: `Hello <@${ALICE}>` } });
    // Bolt's per-team client adds team_id to every call; the spec check accepts it everywhere.
    expect(standIn.callsTo("views.publish")[0]?.args.team_id).toBe(standIn.identity.teamId);

    const schema = JSON.parse(readFileSync(EVENTS_WRAPPER_SCHEMA_PATH, "utf8")) as { required: string[] };
    for (const field of schema.required) expect(first.envelope).toHaveProperty(field);
    expect(seen.homeEvents[0]?.event).toMatchObject({ type: "app_home_opened", user: ALICE, tab: "home", channel: expect.stringMatching(/^D/) });
    expect(seen.homeEvents[0]?.event.view).toBeUndefined();

    await workspace.openHome(ALICE);
    await standIn.waitFor(() => seen.homeEvents.length === 2);
    expect(seen.homeEvents[1]?.event.view).toMatchObject({ id: home.id, type: "home" });
  });

  it("sends Slack's retry headers, which reach the listener's context", async () => {
    const first = await workspace.openHome(BOB);
    const retried = await workspace.redeliverEvent(first.envelope, { retryNum: 2, retryReason: "http_timeout" });
    expect(retried.status).toBe(200);
    await standIn.waitFor(() => seen.homeEvents.length === 2);
    expect(seen.homeEvents.map(({ retryNum, retryReason }) => [retryNum, retryReason])).toEqual([
      [undefined, undefined],
      [2, "http_timeout"],
    ]);
    expect(workspace.deliveries.at(-1)?.headers).toMatchObject({ "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" });
  });

  it("answers the url_verification challenge", async () => {
    const reply = await workspace.urlVerification("challenge-123");
    expect(reply).toMatchObject({ status: 200, body: { challenge: "challenge-123" } });
  });
});

describe("what Bolt calls on its own", () => {
  it("calls auth.test once when the App is constructed, and not per request", async () => {
    expect(boltStartupCalls).toEqual(["auth.test:true"]);
    await aliceListsVms();
    await workspace.openHome(ALICE);
    await standIn.waitFor(() => standIn.homeView(ALICE));
    expect(standIn.calls.map((call) => call.method)).toEqual(["views.publish"]);
  });
});
