import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../../src/services/audit-actions.js";
import { ACTION } from "../../../src/slack/ids.js";
import { MAX_AUDIT_LINES, renderAuditMessage } from "../../../src/slack/views/audit.js";
import {
  AUDIT_PAGE_SIZE,
  MAX_AUDIT_USERS,
  MAX_FILTER_NAME,
  auditFiltersOf,
  auditPageOptions,
  decodeAuditState,
  encodeAuditState,
  resolveSince,
  withSpan,
  type AuditState,
} from "../../../src/slack/views/audit-state.js";
import { auditPage } from "./audit-fixtures.js";
import { buttonsNamed, messageProblems } from "./slack-limits.js";

const filters: AuditState["f"] = { users: ["U0ALICE001"], actions: ["vm_start", "vm_stop"], outcomes: ["denied"], vm: "web-01", env: "prod", since: 1_761_955_200, span: "24h" };

/** The biggest state the schema allows: what every button value and private_metadata must hold. */
const largest: AuditState = {
  f: {
    users: Array.from({ length: MAX_AUDIT_USERS }, (_, index) => `W${String(index).padStart(20, "0")}`),
    actions: [...AUDIT_ACTIONS],
    outcomes: ["succeeded", "failed", "denied"],
    vm: "v".repeat(MAX_FILTER_NAME),
    env: "e".repeat(MAX_FILTER_NAME),
    since: 1_761_955_200,
    span: "2026-11-01T00:00:00.000+01:00",
  },
  after: "a".repeat(120),
  before: "b".repeat(120),
};

const lineCount = (blocks: unknown[]) =>
  (blocks as { type: string; text?: { text: string } }[]).filter((block) => block.type === "section").flatMap((block) => block.text!.text.split("\n")).length;

describe("audit results message", () => {
  it.each([0, 1, 10, 11, 5000])("stays inside Slack's limits with %i entries, short or very long", (count) => {
    for (const long of [false, true]) {
      const message = renderAuditMessage({ state: { f: filters }, page: auditPage(count, { long, older: true, newer: true }), canExport: true, notice: "n".repeat(5000) });
      expect(messageProblems(message)).toEqual([]);
    }
  });

  it("shows one line per entry, and says so when entries were left out", () => {
    expect(lineCount(renderAuditMessage({ state: { f: {} }, page: auditPage(11), canExport: false }).blocks)).toBe(11);
    const huge = renderAuditMessage({ state: { f: {} }, page: auditPage(5000), canExport: false });
    expect(lineCount(huge.blocks)).toBe(MAX_AUDIT_LINES + 1);
    expect(JSON.stringify(huge.blocks)).toContain(`…and ${5000 - MAX_AUDIT_LINES} more entries`);
  });

  it("shows the empty state and the filters applied", () => {
    const message = renderAuditMessage({ state: { f: filters }, page: auditPage(0), canExport: false });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("No audit entries match these filters.");
    expect(text).toContain("by <@U0ALICE001>");
    expect(text).toContain("action `vm_start`, `vm_stop`");
    expect(text).toContain("vm *web-01*");
    expect(text).toContain("(24h)");
  });

  it("writes who, what and where on each line, escaped, without mentioning people it has names for", () => {
    const page = auditPage(2);
    page.items[1]!.vmName = "<!here>";
    const text = JSON.stringify(renderAuditMessage({ state: { f: {} }, page, canExport: false }).blocks);
    expect(text).toContain("<@U0USER0000>"); // no name kept: the id is all there is
    expect(text).toContain("*user 1*");
    expect(text).not.toContain("<@U0USER0001>");
    expect(text).toContain("&lt;!here&gt;");
    expect(text).toContain("`login`");
  });

  it("offers Newer / Older only where there is a page that way, and their values round-trip", () => {
    const first = renderAuditMessage({ state: { f: filters }, page: auditPage(20, { older: true }), canExport: true });
    expect(buttonsNamed(first.blocks, ACTION.auditPrevious)).toEqual([]);
    const older = decodeAuditState(buttonsNamed(first.blocks, ACTION.auditNext)[0]!.value as string);
    expect(older.f).toEqual(filters);
    expect(auditPageOptions(older)).toEqual({ limit: AUDIT_PAGE_SIZE, cursor: expect.any(String) });

    const middle = renderAuditMessage({ state: older, page: auditPage(20, { older: true, newer: true }), canExport: true });
    const newer = decodeAuditState(buttonsNamed(middle.blocks, ACTION.auditPrevious)[0]!.value as string);
    expect(newer).toEqual({ f: filters, before: expect.any(String) });
    expect(auditPageOptions(newer)).toEqual({ limit: AUDIT_PAGE_SIZE, before: newer.before });

    const last = renderAuditMessage({ state: older, page: auditPage(3, { newer: true }), canExport: true });
    expect(buttonsNamed(last.blocks, ACTION.auditNext)).toEqual([]);
  });

  it("gives Export CSV only to those allowed, and Export / Filters… start from the filters without a page", () => {
    const state: AuditState = { f: filters, after: "abc" };
    expect(buttonsNamed(renderAuditMessage({ state, page: auditPage(1), canExport: false }).blocks, ACTION.auditExport)).toEqual([]);
    const message = renderAuditMessage({ state, page: auditPage(1), canExport: true });
    for (const action of [ACTION.auditExport, ACTION.auditOpenFilters]) {
      expect(decodeAuditState(buttonsNamed(message.blocks, action)[0]!.value as string)).toEqual({ f: filters });
    }
  });
});

describe("audit state", () => {
  it("round-trips, and the largest allowed state fits a button value", () => {
    expect(decodeAuditState(encodeAuditState(largest))).toEqual(largest);
    expect(encodeAuditState(largest).length).toBeLessThanOrEqual(2000);
    expect(decodeAuditState(undefined)).toEqual({ f: {} });
  });

  it("refuses tampered values with a message for the user", () => {
    expect(() => decodeAuditState("{")).toThrow(/out of date/);
    expect(() => decodeAuditState(JSON.stringify({ f: { actions: ["rm_rf"] } }))).toThrow(/out of date/);
  });

  it("turns into the service's filters", () => {
    expect(auditFiltersOf(filters)).toEqual({
      slackUserIds: ["U0ALICE001"],
      actions: ["vm_start", "vm_stop"],
      outcomes: ["denied"],
      vmName: "web-01",
      environment: "prod",
      since: new Date(1_761_955_200_000),
    });
    expect(auditFiltersOf({})).toEqual({});
  });

  it("reads time windows relative to now, as dates, or not at all", () => {
    const now = new Date("2026-11-08T12:00:00Z");
    expect(resolveSince("30m", now)).toEqual(new Date("2026-11-08T11:30:00Z"));
    expect(resolveSince("24h", now)).toEqual(new Date("2026-11-07T12:00:00Z"));
    expect(resolveSince("7D", now)).toEqual(new Date("2026-11-01T12:00:00Z"));
    expect(resolveSince("2w", now)).toEqual(new Date("2026-10-25T12:00:00Z"));
    expect(resolveSince("2026-11-01", now)).toEqual(new Date("2026-11-01T00:00:00Z"));
    expect(resolveSince("2026-11-01T08:00:00+01:00", now)).toEqual(new Date("2026-11-01T07:00:00Z"));
    for (const bad of ["0h", "yesterday", "2026-02-30", "24", "h24", "2026-13-01"]) expect(resolveSince(bad, now)).toBeUndefined();
    expect(withSpan({ vm: "a" }, "all", now)).toEqual({ vm: "a" });
    expect(withSpan({}, "1h", now)).toEqual({ since: Math.floor(now.getTime() / 1000) - 3600, span: "1h" });
    expect(() => withSpan({}, "soon", now)).toThrow(/"soon" is not a time/);
  });
});
