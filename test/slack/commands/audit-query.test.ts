import { describe, expect, it } from "vitest";
import { parseAuditQuery } from "../../../src/slack/listeners/commands/audit.js";
import { UsageError } from "../../../src/slack/listeners/commands/subcommand.js";

const NOW = new Date("2026-11-08T12:00:00Z");
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe("/vm audit filters", () => {
  it("reads every filter, with Slack's escaped mentions", () => {
    expect(parseAuditQuery("user:<@U0ALICE001|alice smith> action:vm_start,VM_STOP vm:web-01 env:prod since:24h outcome:denied", NOW)).toEqual({
      users: ["U0ALICE001"],
      actions: ["vm_start", "vm_stop"],
      outcomes: ["denied"],
      vm: "web-01",
      env: "prod",
      since: seconds("2026-11-07T12:00:00Z"),
      span: "24h",
    });
  });

  it("reads nothing as no filters, and repeated or listed users once each", () => {
    expect(parseAuditQuery("", NOW)).toEqual({});
    expect(parseAuditQuery("user:<@U0ALICE001> user:<@U0BOB00001|bob>,U0ALICE001", NOW)).toEqual({ users: ["U0ALICE001", "U0BOB00001"] });
    expect(parseAuditQuery("since:2026-11-01", NOW)).toEqual({ since: seconds("2026-11-01T00:00:00Z"), span: "2026-11-01" });
  });

  it.each([
    ["colour:red", /I don't know the filter "colour:red"/],
    ["web-01", /I don't know the filter "web-01"/],
    ["user:@alice", /"@alice" is not a person/],
    ["action:vm_explode", /Unknown action "vm_explode". Use one of: login, logout/],
    ["outcome:maybe", /Unknown outcome "maybe". Use one of: initiated, succeeded, failed, denied/],
    ["since:yesterday", /"yesterday" is not a time/],
    ["vm:", /Give the vm a name/],
    [`vm:${"v".repeat(101)}`, /too long/],
  ])("refuses %s with a clear usage message", (text, message) => {
    expect(() => parseAuditQuery(text, NOW)).toThrow(UsageError);
    expect(() => parseAuditQuery(text, NOW)).toThrow(message);
  });
});
