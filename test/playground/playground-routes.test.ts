// The playground's HTTP surface without a browser: the page and its modules, a user's snapshot, a
// command's round trip through the real bot, element actions, suggestions, App Home and the change stream;
// and the refusals that keep any page but its own (another site, DNS rebinding) from driving it.
import { request as httpRequest } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PlaygroundSnapshot, TimelineItem } from "../../src/playground/server/index.js";
import { startTestPlayground, type TestPlayground } from "./playground-harness.js";

const ADMIN = "U0DEMOADMIN";
const VIEWER = "U0DEMOVIEW";

let playground: TestPlayground;

beforeAll(async () => {
  playground = await startTestPlayground();
});

afterEach(() => {
  // Every Web API call the bot made must be one Slack's own API description accepts.
  expect(playground.standIn.violations).toEqual([]);
});

afterAll(async () => {
  await playground?.dispose();
});

async function get(path: string): Promise<Response> {
  return fetch(`${playground.base}${path}`);
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${playground.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function snapshot(userId: string): Promise<PlaygroundSnapshot> {
  const response = await get(`/playground/state?user=${userId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as PlaygroundSnapshot;
}

function channelOf(state: PlaygroundSnapshot) {
  return state.conversations.find((conversation) => conversation.kind === "channel")!;
}

/** Waits for a message in the channel, as the user sees it, that satisfies `probe`. */
function waitForMessage(userId: string, probe: (item: TimelineItem) => boolean): Promise<TimelineItem> {
  return vi.waitFor(
    async () => {
      const found = channelOf(await snapshot(userId)).items.find(probe);
      if (!found) throw new Error("the message has not arrived");
      return found;
    },
    { timeout: 10_000, interval: 100 },
  );
}

const isVmList = (item: TimelineItem) => item.blocks[0]?.type === "header" && JSON.stringify(item.blocks[0]).includes("Virtual machines");
const hasCheckboxes = (item: TimelineItem) => item.blocks.some((block) => (block.accessory as { type?: string } | undefined)?.type === "checkboxes");
const buttonTexts = (item: TimelineItem) =>
  item.blocks.flatMap((block) => (Array.isArray(block.elements) ? (block.elements as { type: string; text?: { text: string } }[]) : [])).filter((element) => element.type === "button").map((element) => element.text?.text ?? "");

describe("the page", () => {
  it("serves the page at / and its modules under /playground/web/", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/playground/web/main.js");

    const module = await get("/playground/web/blockkit/mrkdwn.js");
    expect(module.status).toBe(200);
    expect(module.headers.get("content-type")).toContain("text/javascript");
  });

  it("serves nothing outside the web folder", async () => {
    expect((await get("/playground/web/..%2f..%2fstart-playground.ts")).status).toBe(404);
    expect((await get("/playground/web/tsconfig.json")).status).toBe(404);
    expect((await get("/playground/files/F0NOPE/x.csv")).status).toBe(404);
  });
});

describe("state snapshot", () => {
  it("shows a user the channel, the demo people with their roles, and no modal or home yet", async () => {
    // Seen by a user no other test in this file acts as: they share one playground and may run in any order.
    const state = await snapshot("U0DEMOOPS1");
    expect(state.me).toMatchObject({ id: "U0DEMOOPS1", demoRole: "operator" });
    expect(state.people.filter((person) => person.switchable).map((person) => [person.id, person.demoRole])).toEqual([
      [ADMIN, "admin"],
      ["U0DEMOOPS1", "operator"],
      [VIEWER, "viewer"],
    ]);
    expect(state.team.id).toBe("T0DEMO0001");
    expect(channelOf(state)).toMatchObject({ name: "vm-ops", kind: "channel" });
    expect(state.modal).toEqual([]);
    expect(state.home).toBeNull();
  });

  it("opens as the demo admin when the URL names nobody, as the URL `npm start` prints does", async () => {
    for (const path of ["/playground/state", "/playground/state?user="]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(((await response.json()) as PlaygroundSnapshot).me).toMatchObject({ id: ADMIN, name: "Morgan Lee", demoRole: "admin" });
    }
  });

  it("answers a ?user= that names nobody with 400 and the people there are", async () => {
    const response = await get("/playground/state?user=U0NOBODY");
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(/^unknown user U0NOBODY: the playground's people are U0DEMOADMIN \(Morgan Lee\), /);
    expect(error).toContain("U0DEMOVIEW (Sam Chen)");
  });

  it("refuses an unknown user and bad bodies with 400 and a reason", async () => {
    expect((await get("/playground/state?user=U0NOBODY")).status).toBe(400);
    const badCommand = await post("/playground/command", { user: ADMIN, text: "list" });
    expect(badCommand.status).toBe(400);
    expect(String(badCommand.body.error)).toContain("slash command");
    const unknownUser = await post("/playground/command", { user: "U0NOBODY1", text: "/vm help" });
    expect(unknownUser).toMatchObject({ status: 400, body: { error: "unknown user U0NOBODY1" } });
    expect((await post("/playground/action", { kind: "push", user: ADMIN })).status).toBe(400);
  });
});

describe("round trips through the bot", () => {
  it("runs /vm list as a signed slash command and shows the list; a tick updates it in place", async () => {
    const reply = await post("/playground/command", { user: ADMIN, text: "/vm list" });
    expect(reply).toMatchObject({ status: 200, body: { status: 200, sent: true } });
    // The admin's list (a viewer's, without checkboxes, may already be in the channel).
    const list = await waitForMessage(ADMIN, (item) => isVmList(item) && hasCheckboxes(item));

    const row = list.blocks.find((block) => block.block_id?.startsWith("vm_row:"))!;
    const vmId = row.block_id!.slice("vm_row:".length);
    const ticked = await post("/playground/action", {
      kind: "input",
      user: ADMIN,
      target: { channel: playground.standIn.defaultChannel.id, ts: list.ts },
      actionId: "vm_list_select",
      blockId: row.block_id,
      value: [vmId],
    });
    expect(ticked).toMatchObject({ status: 200, body: { status: 200, sent: true } });
    const updated = await waitForMessage(ADMIN, (item) => item.ts === list.ts && buttonTexts(item).includes("Start (1 selected)"));
    // The list is the asker's alone (ephemeral), redrawn in place: another user never sees it.
    expect(updated.kind).toBe("ephemeral");
    expect(channelOf(await snapshot(VIEWER)).items.some((item) => item.ts === list.ts)).toBe(false);
  });

  it("answers the VM picker's typeahead from the bot's options endpoint", async () => {
    await post("/playground/command", { user: ADMIN, text: "/vm list" }); // its own list: no reliance on another test's
    const list = await waitForMessage(ADMIN, (item) => isVmList(item) && hasCheckboxes(item));
    const reply = await post("/playground/suggest", { user: ADMIN, target: { channel: playground.standIn.defaultChannel.id, ts: list.ts }, actionId: "vm_list_pick", typed: "demo-web" });
    expect(reply.status).toBe(200);
    const options = reply.body.options as { text: { text: string } }[];
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((option) => option.text.text.includes("demo-web"))).toBe(true);
  });

  it("shows a viewer a list without checkboxes or power buttons", async () => {
    await post("/playground/command", { user: VIEWER, text: "/vm list" });
    const list = await waitForMessage(VIEWER, (item) => isVmList(item) && !hasCheckboxes(item));
    expect(buttonTexts(list).filter((text) => /^(Start|Stop|Reboot)/.test(text))).toEqual([]);
  });

  it("delivers app_home_opened and shows the published Home", async () => {
    const reply = await post("/playground/home-opened", { user: ADMIN });
    expect(reply).toMatchObject({ status: 200, body: { status: 200, sent: true } });
    expect(reply.body.envelope).toBeUndefined();
    await playground.standIn.waitFor(() => playground.standIn.homeView(ADMIN), 10_000);
    const state = await snapshot(ADMIN);
    expect(JSON.stringify(state.home?.blocks)).toContain("VM lifecycle bot");
  });
});

describe("change stream", () => {
  it("pushes workspace changes as server-sent events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${playground.base}/playground/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    await post("/playground/command", { user: ADMIN, text: "/vm help" });
    while (!received.includes("data: ")) received += decoder.decode((await reader.read()).value);
    controller.abort();
    const change = JSON.parse(received.split("data: ")[1]!.split("\n")[0]!) as { kind: string };
    expect(["message", "ephemeral", "directory", "view", "home", "input", "file"]).toContain(change.kind);
  });
});

/** A request with exactly these headers (fetch would set Host and Origin itself). */
function rawRequest(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest({ host: "127.0.0.1", port: new URL(playground.base).port, method, path, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

describe("only the playground's own page, on this machine, may drive it", () => {
  const port = () => new URL(playground.base).port;
  const command = JSON.stringify({ user: ADMIN, text: "/vm help" });
  const json = { "content-type": "application/json" };

  async function refusedWithoutReachingTheBot(headers: Record<string, string>, body = command) {
    const deliveries = playground.workspace.deliveries.length;
    const reply = await rawRequest("POST", "/playground/command", headers, body);
    expect(reply.status).toBe(403);
    expect(playground.workspace.deliveries.length).toBe(deliveries);
    return (JSON.parse(reply.body) as { error: string }).error;
  }

  it("serves its own page at each loopback name, with or without Origin", async () => {
    for (const host of ["localhost", "127.0.0.1", "[::1]"]) {
      const hostHeader = `${host}:${port()}`;
      expect((await rawRequest("GET", "/", { host: hostHeader })).status).toBe(200);
      expect((await rawRequest("GET", "/playground/state", { host: hostHeader })).status).toBe(200);
      const withOrigin = await rawRequest("POST", "/playground/command", { ...json, host: hostHeader, origin: `http://${hostHeader}` }, command);
      expect(withOrigin.status).toBe(200);
      expect(JSON.parse(withOrigin.body)).toMatchObject({ status: 200, sent: true });
    }
    const charset = await rawRequest("POST", "/playground/command", { "content-type": "application/json; charset=utf-8", host: `localhost:${port()}` }, command);
    expect(charset.status).toBe(200);
  });

  it("refuses a POST that is not JSON (what a cross-site form can send without asking)", async () => {
    const host = `localhost:${port()}`;
    expect(await refusedWithoutReachingTheBot({ host, "content-type": "text/plain" })).toBe("refused: Content-Type must be application/json");
    expect(await refusedWithoutReachingTheBot({ host, "content-type": "application/x-www-form-urlencoded" }, "user=U0DEMOADMIN&text=/vm+help")).toBe("refused: Content-Type must be application/json");
    expect(await refusedWithoutReachingTheBot({ host })).toBe("refused: Content-Type must be application/json");
  });

  it("refuses a POST from another site's page", async () => {
    const host = `localhost:${port()}`;
    expect(await refusedWithoutReachingTheBot({ ...json, host, origin: "https://evil.example" })).toBe("refused: cross-site request from Origin https://evil.example");
    expect(await refusedWithoutReachingTheBot({ ...json, host, origin: "null" })).toBe("refused: cross-site request from Origin null");
    // Another local server (another port) is another site too.
    expect(await refusedWithoutReachingTheBot({ ...json, host, origin: "http://localhost:1" })).toContain("cross-site request");
  });

  it("refuses requests whose Host is not its loopback address and port (DNS rebinding)", async () => {
    const rebound = `attacker.example:${port()}`;
    const error = await refusedWithoutReachingTheBot({ ...json, host: rebound, origin: `http://${rebound}` });
    expect(error).toBe(`refused: Host ${rebound} is not this playground (open http://localhost:${port()}/)`);
    expect(await refusedWithoutReachingTheBot({ ...json, host: "localhost:1" })).toContain("refused: Host localhost:1");
    for (const path of ["/", "/playground/web/main.js", "/playground/state", "/playground/events"]) {
      const reply = await rawRequest("GET", path, { host: rebound });
      expect(reply.status, path).toBe(403);
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: `refused: Host ${rebound} is not this playground (open http://localhost:${port()}/)` });
    }
  });
});
