import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadSlackSpecValidator, SlackWebApiStandIn, type StandInChange } from "../../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "./spec-path.js";

const TS_PATTERN = /^\d{10}\.\d{6}$/;
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

let standIn: SlackWebApiStandIn;
let client: WebClient;
let general: string;
let clock = { offsetMs: 0 };

beforeAll(async () => {
  standIn = await SlackWebApiStandIn.start({ validator: loadSlackSpecValidator(SLACK_API_SPEC_PATH), now: () => Date.now() + clock.offsetMs });
  client = new WebClient(standIn.botToken, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 }, logLevel: undefined, logger: silentLogger() });
  general = standIn.defaultChannel.id;
  standIn.addUser({ id: "U0ALICE001", name: "alice", email: "alice@example.com", real_name: "Alice Liddell", tz: "Europe/Paris" });
});

afterAll(() => standIn.close());

beforeEach(() => {
  clock = { offsetMs: 0 };
  standIn.reset();
});

describe("messages through the real @slack/web-api client", () => {
  it("posts and updates a message, passing the spec check and updating the conversation", async () => {
    const posted = await client.chat.postMessage({ channel: general, text: "VM list", blocks: [section("*web-1* running")] });
    expect(posted.channel).toBe(general);
    expect(posted.ts).toMatch(TS_PATTERN);
    expect(posted.message?.blocks?.[0]?.block_id).toEqual(expect.any(String));

    await client.chat.update({ channel: general, ts: posted.ts!, text: "VM list (refreshed)", blocks: [section("*web-1* stopped")] });

    const [message] = standIn.conversation(general);
    expect(message).toMatchObject({ ts: posted.ts, text: "VM list (refreshed)", user: standIn.identity.botUserId, bot_id: standIn.identity.botId });
    expect(message?.edited?.user).toBe(standIn.identity.botUserId);
    expect(message?.blocks?.[0]).toMatchObject({ text: { text: "*web-1* stopped" } });
    expect(standIn.violations).toEqual([]);
    expect(standIn.callsTo("chat.postMessage")[0]?.args.blocks).toEqual([section("*web-1* running")]);
  });

  it("issues strictly increasing Slack-shaped ts values and channel ids", async () => {
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await client.chat.postMessage({ channel: general, text: `n${i}` }));
    const tss = results.map((result) => result.ts!);
    expect([...tss].sort()).toEqual(tss);
    expect(new Set(tss).size).toBe(5);
    expect(general).toMatch(/^[CGD][A-Z0-9]{8,}$/);
  });

  it("flags a wrong argument name as a spec violation and refuses the call", async () => {
    await expect(client.apiCall("chat.postMessage", { channel: general, text: "hi", icon_emojii: ":x:" })).rejects.toMatchObject({
      data: { ok: false, error: "invalid_arguments", response_metadata: { messages: ['[ERROR] unknown argument "icon_emojii"'] } },
    });
    expect(standIn.violations).toEqual([{ method: "chat.postMessage", kind: "unknown_argument", problem: 'unknown argument "icon_emojii"', argument: "icon_emojii", source: "spec" }]);
    expect(standIn.conversation(general)).toEqual([]);
  });

  it("flags a missing required argument", async () => {
    await expect(client.apiCall("chat.update", { channel: general, text: "no ts" })).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    expect(standIn.violations).toMatchObject([{ kind: "missing_required_argument", argument: "ts" }]);
  });

  it("answers unknown_method for a method Slack does not have, and ok for spec-known unmodelled ones", async () => {
    await expect(client.apiCall("chat.teleport", {})).rejects.toMatchObject({ data: { error: "unknown_method" } });
    await expect(client.reactions.add({ channel: general, timestamp: "1.000001", name: "eyes" })).resolves.toMatchObject({ ok: true });
    expect(standIn.calls.map((call) => [call.method, call.ok])).toEqual([
      ["chat.teleport", false],
      ["reactions.add", true],
    ]);
  });

  it("answers Slack's errors for unknown channels and messages", async () => {
    await expect(client.chat.postMessage({ channel: "C0NOSUCH00", text: "x" })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    await expect(client.chat.update({ channel: general, ts: "1700000000.000100", text: "x" })).rejects.toMatchObject({ data: { error: "message_not_found" } });
    await expect(client.apiCall("chat.postMessage", { channel: general })).rejects.toMatchObject({ data: { error: "no_text" } });
  });

  it("posts and deletes ephemerals and deletes messages", async () => {
    const ephemeral = await client.chat.postEphemeral({ channel: general, user: "U0ALICE001", text: "only you" });
    expect(standIn.ephemerals({ user: "U0ALICE001" })).toMatchObject([{ ts: ephemeral.message_ts, text: "only you", channel: general }]);
    const posted = await client.chat.postMessage({ channel: general, text: "soon gone" });
    await client.chat.delete({ channel: general, ts: posted.ts! });
    expect(standIn.conversation(general)).toEqual([]);
  });

  it("posts to a user id into the app DM, like Slack", async () => {
    const posted = await client.chat.postMessage({ channel: "U0ALICE001", text: "psst" });
    expect(posted.channel).toMatch(/^D[A-Z0-9]{8,}$/);
    const opened = await client.conversations.open({ users: "U0ALICE001" });
    expect(opened.channel?.id).toBe(posted.channel);
    expect(opened).toMatchObject({ already_open: true });
  });

  it("gives a permalink for a message", async () => {
    const posted = await client.chat.postMessage({ channel: general, text: "link me" });
    const link = await client.chat.getPermalink({ channel: general, message_ts: posted.ts! });
    expect(link.permalink).toBe(`https://playground.slack.com/archives/${general}/p${posted.ts!.replace(".", "")}`);
  });
});

describe("auth and directory", () => {
  it("answers auth.test with the workspace identity", async () => {
    expect(await client.auth.test()).toMatchObject({ ok: true, team_id: "T0PLAYGRND", user_id: "U0PLAYBOT0", bot_id: "B0PLAYBOT0" });
  });

  it("refuses a call without a token or with a wrong one", async () => {
    await expect(new WebClient(undefined, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } }).auth.test()).rejects.toMatchObject({ data: { error: "not_authed" } });
    await expect(new WebClient("xoxb-wrong", { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } }).auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
  });

  it("answers users.info from the registered directory", async () => {
    const { user } = await client.users.info({ user: "U0ALICE001" });
    expect(user).toMatchObject({ id: "U0ALICE001", name: "alice", real_name: "Alice Liddell", tz: "Europe/Paris", is_bot: false, profile: { email: "alice@example.com", display_name: "alice" } });
    await expect(client.users.info({ user: "U0NOBODY00" })).rejects.toMatchObject({ data: { error: "user_not_found" } });
  });

  it("accepts JSON bodies and a token parameter, as Slack does", async () => {
    const json = await fetch(`${standIn.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${standIn.botToken}` },
      body: JSON.stringify({ channel: general, text: "json", blocks: [section("json")] }),
    }).then((response) => response.json());
    expect(json).toMatchObject({ ok: true, message: { text: "json" } });
    const form = await fetch(`${standIn.apiUrl}auth.test`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: standIn.botToken }).toString(),
    }).then((response) => response.json());
    expect(form).toMatchObject({ ok: true });
    expect(standIn.violations).toEqual([]);
  });
});

describe("views", () => {
  const modal = (title: string, extra: Record<string, unknown> = {}) => ({ type: "modal" as const, title: { type: "plain_text" as const, text: title }, blocks: [section(title)], ...extra });

  it("opens a modal with a fresh trigger, and refuses expired, unknown and reused triggers", async () => {
    const trigger = standIn.state.triggers.issue("U0ALICE001");
    const opened = await client.views.open({ trigger_id: trigger, view: modal("Create VM", { callback_id: "vm_create" }) });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect(standIn.openViews("U0ALICE001").map((view) => view.callback_id)).toEqual(["vm_create"]);
    await expect(client.views.open({ trigger_id: trigger, view: modal("Again") })).rejects.toMatchObject({ data: { error: "exchanged_trigger_id" } });

    const stale = standIn.state.triggers.issue("U0ALICE001");
    clock.offsetMs = 3001;
    await expect(client.views.open({ trigger_id: stale, view: modal("Too late") })).rejects.toMatchObject({ data: { error: "expired_trigger_id" } });
    await expect(client.views.open({ trigger_id: "123.456.abc", view: modal("Made up") })).rejects.toMatchObject({ data: { error: "invalid_trigger_id" } });
    expect(standIn.violations).toEqual([]);
  });

  it("pushes up to three views and updates by id or external_id, honouring hash", async () => {
    const root = await client.views.open({ trigger_id: standIn.state.triggers.issue("U0ALICE001"), view: modal("Root", { external_id: "root-1" }) });
    const pushed = await client.views.push({ trigger_id: standIn.state.triggers.issue("U0ALICE001"), view: modal("Second") });
    expect(pushed.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    await client.views.push({ trigger_id: standIn.state.triggers.issue("U0ALICE001"), view: modal("Third") });
    await expect(client.views.push({ trigger_id: standIn.state.triggers.issue("U0ALICE001"), view: modal("Fourth") })).rejects.toMatchObject({ data: { error: "push_limit_reached" } });

    const updated = await client.views.update({ external_id: "root-1", view: modal("Root v2", { external_id: "root-1" }), hash: root.view?.hash });
    expect(updated.view?.id).toBe(root.view?.id);
    expect(updated.view?.hash).not.toBe(root.view?.hash);
    await expect(client.views.update({ view_id: root.view!.id!, view: modal("Root v3"), hash: root.view?.hash })).rejects.toMatchObject({ data: { error: "hash_conflict" } });
    await expect(client.views.update({ view_id: "V0NOSUCH00", view: modal("Nope") })).rejects.toMatchObject({ data: { error: "not_found" } });
    expect(standIn.openViews("U0ALICE001").map((view) => view.title?.text)).toEqual(["Root v2", "Second", "Third"]);
  });

  it("refuses views Slack would refuse", async () => {
    const trigger = standIn.state.triggers.issue("U0ALICE001");
    await expect(client.views.open({ trigger_id: trigger, view: modal("A title far longer than twenty-four") })).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    const withInput = { ...modal("Input"), blocks: [{ type: "input", label: { type: "plain_text", text: "Name" }, element: { type: "plain_text_input" } }] };
    await expect(client.views.open({ trigger_id: trigger, view: withInput })).rejects.toMatchObject({
      data: { response_metadata: { messages: [expect.stringContaining("submit button")] } },
    });
  });

  it("publishes an App Home per user", async () => {
    await client.views.publish({ user_id: "U0ALICE001", view: { type: "home", blocks: [section("Your VMs")] } });
    expect(standIn.homeView("U0ALICE001")?.blocks[0]).toMatchObject({ text: { text: "Your VMs" } });
    expect(standIn.homeView("U0ALICE002")).toBeUndefined();
  });
});

describe("files uploaded with client.filesUploadV2", () => {
  it("stores the uploaded content, shares it to the channel and passes the spec check (supplement)", async () => {
    const result = await client.filesUploadV2({ channel_id: general, content: "name,state\nweb-1,running\n", filename: "vms.csv", title: "VM report", initial_comment: "Here you go" });
    expect(result.ok).toBe(true);
    const [stored] = standIn.files();
    expect(stored?.content?.toString("utf8")).toBe("name,state\nweb-1,running\n");
    expect(stored?.file).toMatchObject({ name: "vms.csv", title: "VM report", mimetype: "text/csv", channels: [general] });
    expect(standIn.conversation(general)).toMatchObject([{ text: "Here you go", files: [{ id: stored?.file.id }], origin: "files.completeUploadExternal" }]);
    const download = await fetch(stored!.file.url_private);
    expect(await download.text()).toBe("name,state\nweb-1,running\n");
    expect(standIn.callsTo("files.completeUploadExternal")[0]?.args.files).toEqual([{ id: stored?.file.id, title: "VM report" }]);
    expect(standIn.violations).toEqual([]);
  });

  it("marks a violation on an upload method as coming from the supplement table", async () => {
    await expect(client.apiCall("files.getUploadURLExternal", { filename: "a.txt", length: 3, colour: "blue" })).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    expect(standIn.violations).toEqual([{ method: "files.getUploadURLExternal", kind: "unknown_argument", problem: 'unknown argument "colour"', argument: "colour", source: "supplement" }]);
  });

  it("refuses to complete an upload whose bytes never arrived", async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
    await expect(client.files.completeUploadExternal({ files: [{ id: file_id! }] })).rejects.toMatchObject({ data: { error: "file_not_found" } });
  });
});

describe("response_url", () => {
  const respond = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("posts ephemeral by default, in_channel on request, replaces and deletes the source message", async () => {
    const source = await client.chat.postMessage({ channel: general, text: "Start web-1?" });
    const id = standIn.state.responseUrls.issue({ userId: "U0ALICE001", channelId: general, source: { ts: source.ts!, ephemeral: false } });
    const url = `${standIn.baseUrl}/response/${id}`;

    expect((await respond(url, { text: "Working on it" })).status).toBe(200);
    expect(standIn.ephemerals({ user: "U0ALICE001" })).toMatchObject([{ text: "Working on it", origin: "response_url" }]);
    expect(standIn.ephemerals({ user: "U0BOB00001" })).toEqual([]);

    await respond(url, { text: "Started by alice", response_type: "in_channel" });
    await respond(url, { text: "web-1 started", replace_original: true });
    expect(standIn.conversation(general).map((message) => message.text)).toEqual(["web-1 started", "Started by alice"]);
    expect(standIn.message(general, source.ts!)?.edited).toBeUndefined();

    await respond(url, { delete_original: true });
    expect(standIn.conversation(general).map((message) => message.text)).toEqual(["Started by alice"]);

    expect((await respond(url, { text: "fifth and last use" })).status).toBe(200);
    const sixth = await respond(url, { text: "one too many" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
  });

  it("expires after 30 minutes", async () => {
    const id = standIn.state.responseUrls.issue({ userId: "U0ALICE001", channelId: general });
    clock.offsetMs = 30 * 60 * 1000 + 1;
    const response = await respond(`${standIn.baseUrl}/response/${id}`, { text: "late" });
    expect(response.status).toBe(404);
  });
});

describe("change feed and reset", () => {
  it("emits a change for every state change and clears state on reset", async () => {
    const changes: StandInChange[] = [];
    const unsubscribe = standIn.subscribe((change) => changes.push(change));
    const posted = await client.chat.postMessage({ channel: general, text: "hello" });
    unsubscribe();
    expect(changes).toEqual([
      { kind: "message", action: "posted", channel: general, ts: posted.ts },
      { kind: "call", method: "chat.postMessage", ok: true },
    ]);
    const waited = await standIn.waitFor(() => standIn.conversation(general)[0]);
    expect(waited.text).toBe("hello");

    standIn.reset();
    expect(standIn.conversation(general)).toEqual([]);
    expect(standIn.calls).toEqual([]);
    expect(standIn.user("U0ALICE001")?.name).toBe("alice");
  });
});

function silentLogger() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => "error" as never, setName: noop };
}
