// The checker itself must catch what Slack rejects, or every limit test above it proves nothing.
import { describe, expect, it } from "vitest";
import { messageProblems, modalProblems } from "./slack-limits.js";

describe("slack limit checker", () => {
  it("flags the overflows it is meant to catch", () => {
    const button = (overrides: object) => ({ type: "button", action_id: "a", text: { type: "plain_text", text: "ok" }, ...overrides });
    const problems = messageProblems({
      text: "x",
      blocks: [
        ...Array.from({ length: 50 }, () => ({ type: "divider" })),
        { type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } },
        { type: "actions", elements: [button({ value: "v".repeat(2001) }), button({ action_id: "b", confirm: { title: { type: "plain_text", text: "t" }, text: { type: "mrkdwn", text: "c".repeat(301) } } })] },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("at most 50 items"),
        expect.stringContaining("3001 characters > 3000"),
        expect.stringContaining("button value: 2001 characters > 2000"),
        expect.stringContaining("confirm text: 301 characters > 300"),
      ]),
    );
  });

  it("flags modal titles, metadata and options", () => {
    const options = Array.from({ length: 101 }, (_, index) => ({ text: { type: "plain_text", text: "o".repeat(76) }, value: String(index) }));
    const problems = modalProblems({
      type: "modal",
      title: { type: "plain_text", text: "t".repeat(25) },
      private_metadata: "m".repeat(3001),
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "s" }, accessory: { type: "static_select", action_id: "s", options, initial_option: { text: { type: "plain_text", text: "x" }, value: "nope" } } }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("title: 25 characters > 24"),
        expect.stringContaining("private_metadata: 3001 characters > 3000"),
        expect.stringContaining("101 options > 100"),
        expect.stringContaining("option text: 76 characters > 75"),
        expect.stringContaining('initial option "nope"'),
      ]),
    );
  });
});
