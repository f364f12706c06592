// The access surfaces stay inside Slack's limits at any size (many environments to request, many grants and
// requests), and the words users type are read as Slack sends them.
import { describe, expect, it } from "vitest";
import { parseDurationHours, parseLevel } from "../../../src/services/access/validation.js";
import { mentionedUser } from "../../../src/slack/mentions.js";
import { renderAccessListing, renderAccessRequestModal, renderDenyModal } from "../../../src/slack/views/access.js";
import { renderEnvironmentDetail, renderEnvironmentList } from "../../../src/slack/views/environments.js";
import { blocksText } from "../../support/slack-helpers.js";
import { buttonsNamed, messageProblems, modalProblems } from "./slack-limits.js";

const LONG = "x".repeat(80);
const at = new Date("2026-11-30T10:00:00Z");

describe("access views", () => {
  it("the environment list offers Request access for each environment the reader cannot open, within limits", () => {
    const environments = Array.from({ length: 120 }, (_, index) => ({ id: index, name: `env-${index}-${LONG}`, description: LONG, running: 1, total: 3, lockedBy: null, lastRun: null }));
    const list = renderEnvironmentList(environments, { requestable: environments.map((environment) => environment.name) });
    expect(messageProblems(list)).toEqual([]);
    const menu = JSON.stringify(list.blocks);
    expect(menu).toContain('"action_id":"env_request_access"');
    expect(menu).toContain(`"value":"env-99-${LONG}"`);
    const one = renderEnvironmentList(environments.slice(0, 3), { requestable: ["env-2"] });
    expect(buttonsNamed(one.blocks, "env_request_access").map((button) => button.value)).toEqual(["env-2"]);
    const none = renderEnvironmentList(environments.slice(0, 3));
    expect(buttonsNamed(none.blocks, "env_request_access")).toEqual([]);
    const detail = renderEnvironmentDetail({ id: 1, name: "demo", description: null, groups: [] }, { requestable: true });
    expect(buttonsNamed(detail.blocks, "env_request_access").map((button) => button.value)).toEqual(["demo"]);
  });

  it("the access listing, the request modal and the deny modal stay inside the limits", () => {
    const listing = renderAccessListing({
      environment: `demo-${LONG}`,
      grants: Array.from({ length: 300 }, (_, index) => ({ slackUserId: `U${index}`, name: LONG, level: "admin" as const, effectiveLevel: "user" as const, expiresAt: at, grantedBy: LONG, grantedAt: at })),
      pending: Array.from({ length: 300 }, (_, index) => ({ id: index, slackUserId: `U${index}`, name: LONG, level: "user" as const, durationHours: 36, reason: "y".repeat(500), createdAt: at, expiresAt: at })),
    });
    expect(messageProblems(listing)).toEqual([]);
    expect(blocksText(listing.blocks)).toContain("<@U0> *admin* (acts as user: not flagged env_admin)");
    expect(blocksText(listing.blocks)).toContain("asks for *user* (36 hours)");
    expect(modalProblems(renderAccessRequestModal(`demo-${LONG}`) as never)).toEqual([]);
    expect(modalProblems(renderDenyModal({ id: 7, environment: LONG, level: "admin", requester: { name: LONG } }) as never)).toEqual([]);
  });

  it("reads mentions, durations and levels as typed", () => {
    expect(mentionedUser("<@U0ALICE|alice>")).toEqual({ slackUserId: "U0ALICE", displayName: "alice" });
    expect(mentionedUser("<@W0BOB>")).toEqual({ slackUserId: "W0BOB" });
    expect(mentionedUser("@U0ALICE")).toEqual({ slackUserId: "U0ALICE" });
    expect(mentionedUser("alice")).toBeUndefined();
    expect(parseDurationHours("12h")).toBe(12);
    expect(parseDurationHours("7d")).toBe(168);
    expect(() => parseDurationHours("0h")).toThrow("from 1 hour to 90 days");
    expect(() => parseDurationHours("91d")).toThrow("from 1 hour to 90 days");
    expect(() => parseDurationHours("soon")).toThrow("is not a duration");
    expect(parseLevel("Admin")).toBe("admin");
    expect(() => parseLevel("owner")).toThrow("Ask for one of viewer, user, admin");
  });
});
