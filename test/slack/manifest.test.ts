// manifest.yml asks for exactly the scopes the bot's Web API calls need, and every call the bot's code
// makes is a method Slack's own OpenAPI description defines.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { SPEC_SUPPLEMENT } from "../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "../playground/slack/spec-path.js";

interface Operation {
  security?: { slackAuth?: string[] }[];
}
const spec = JSON.parse(readFileSync(SLACK_API_SPEC_PATH, "utf8")) as { paths: Record<string, { get?: Operation; post?: Operation }> };
const manifest = parse(readFileSync("manifest.yml", "utf8")) as {
  oauth_config: { scopes: { bot: string[] } };
  features: { slash_commands: { command: string; should_escape: boolean }[] };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
};
const botScopes = manifest.oauth_config.scopes.bot;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Web API methods the bot calls: `client.chat.update(...)` → chat.update; Bolt itself calls auth.test. */
function methodsCalled(): string[] {
  const source = sourceFiles("src/slack").map((file) => readFileSync(file, "utf8")).join("\n");
  const methods = new Set(["auth.test"]);
  for (const match of source.matchAll(/\bclient\.(chat|conversations|users|views|auth|files)\.(\w+)\(/g)) methods.add(`${match[1]}.${match[2]}`);
  if (/\bclient\.filesUploadV2\(/.test(source)) ["files.getUploadURLExternal", "files.completeUploadExternal"].forEach((method) => methods.add(method));
  return [...methods].sort();
}

// Granular bot scopes for the spec's legacy names; files upload v2 postdates the 2020 spec.
const BOT_SCOPE_OF: Record<string, string> = { "chat:write:bot": "chat:write" };
const SUPPLEMENT_SCOPES: Record<string, string[]> = { "files.getUploadURLExternal": ["files:write"], "files.completeUploadExternal": ["files:write"] };

function scopesAccepted(method: string): string[] {
  if (SUPPLEMENT_SCOPES[method]) return SUPPLEMENT_SCOPES[method]!;
  const path = spec.paths[`/${method}`]!;
  const operation = path.post ?? path.get!;
  return (operation.security?.[0]?.slackAuth ?? []).map((scope) => BOT_SCOPE_OF[scope] ?? scope);
}

it("calls only methods Slack defines", () => {
  const methods = methodsCalled();
  expect(methods).toEqual(expect.arrayContaining(["chat.postMessage", "chat.update", "views.open", "views.publish", "files.completeUploadExternal"]));
  for (const method of methods) {
    const known = Boolean(spec.paths[`/${method}`]) || Object.keys(SPEC_SUPPLEMENT).includes(method);
    expect(known, `${method} is not in Slack's spec`).toBe(true);
  }
});

it("has a scope for every method called", () => {
  for (const method of methodsCalled()) {
    const accepted = scopesAccepted(method);
    if (accepted.includes("none")) continue;
    expect(accepted.some((scope) => botScopes.includes(scope)), `${method} needs one of ${accepted.join(", ")}`).toBe(true);
  }
});

it("asks for no scope nothing uses", () => {
  // Not tied to one method call: the slash command itself, posting in channels the bot has not joined,
  // and the email field users.info returns only with users:read.email.
  const features = ["commands", "chat:write.public", "users:read.email"];
  const used = new Set([...features, ...methodsCalled().flatMap(scopesAccepted)]);
  expect(botScopes.filter((scope) => !used.has(scope))).toEqual([]);
});

it("declares the command, interactivity and events the bot listens to", () => {
  expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: "/vm", should_escape: true })]);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
});
