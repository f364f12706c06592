import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../../src/services/audit-actions.js";
import { ACTION, INPUT, VIEW } from "../../../src/slack/ids.js";
import { readAuditModal, renderAuditModal } from "../../../src/slack/views/audit-modal.js";
import { MAX_AUDIT_USERS, MAX_FILTER_NAME, decodeAuditState, encodeAuditState, type AuditState } from "../../../src/slack/views/audit-state.js";
import { auditPage } from "./audit-fixtures.js";
import { buttonsNamed, elementsIn, modalProblems } from "./slack-limits.js";

const NOW = new Date("2026-11-08T12:00:00Z");
const filters: AuditState["f"] = { users: ["U0ALICE001"], actions: ["vm_start"], outcomes: ["denied", "failed"], vm: "web-01", env: "prod", since: 1_762_516_800, span: "24h" };

const element = (view: { blocks: unknown[] }, blockId: string) => elementsIn(view.blocks).find((found) => found.blockId === blockId)!.element as Record<string, unknown>;
const values = (entries: Record<string, Record<string, unknown>>) => ({ state: { values: entries as never }, private_metadata: encodeAuditState({ f: filters }) });

describe("audit modal", () => {
  it.each([0, 1, 10, 11, 5000])("stays inside Slack's limits with %i entries", (count) => {
    for (const long of [false, true]) {
      const view = renderAuditModal({ state: { f: filters }, results: auditPage(count, { long, older: true, newer: true }), canExport: true });
      expect(modalProblems(view as never)).toEqual([]);
    }
  });

  it("stays inside the limits while loading, after a problem, and with the largest filters", () => {
    const largest: AuditState = {
      f: { users: Array.from({ length: MAX_AUDIT_USERS }, (_, i) => `U${String(i).padStart(20, "0")}`), actions: [...AUDIT_ACTIONS], vm: "v".repeat(MAX_FILTER_NAME), env: "e".repeat(MAX_FILTER_NAME), span: "2026-11-01T00:00:00.000+01:00", since: 1 },
      after: "a".repeat(120),
    };
    for (const results of ["loading", { problem: "p".repeat(5000) }, auditPage(20, { long: true, older: true })] as const) {
      expect(modalProblems(renderAuditModal({ state: largest, results, canExport: true }) as never)).toEqual([]);
    }
  });

  it("prefills the pickers with the applied filters and carries them in private_metadata", () => {
    const view = renderAuditModal({ state: { f: filters }, results: auditPage(1), canExport: false });
    expect(view.callback_id).toBe(VIEW.audit);
    expect(decodeAuditState(view.private_metadata)).toEqual({ f: filters });
    expect(element(view, INPUT.auditUsers.block)).toMatchObject({ type: "multi_users_select", action_id: INPUT.auditUsers.action, initial_users: ["U0ALICE001"] });
    const actions = element(view, INPUT.auditActions.block);
    expect(actions).toMatchObject({ type: "multi_static_select", action_id: INPUT.auditActions.action });
    expect((actions.options as unknown[]).length).toBe(AUDIT_ACTIONS.length);
    expect((actions.initial_options as { value: string }[]).map((option) => option.value)).toEqual(["vm_start"]);
    expect(element(view, INPUT.auditVm.block)).toMatchObject({ type: "plain_text_input", initial_value: "web-01" });
    expect((element(view, INPUT.auditSince.block).initial_option as { value: string }).value).toBe("24h");
    expect((element(view, INPUT.auditOutcome.block).initial_options as { value: string }[]).map((option) => option.value)).toEqual(["failed", "denied"]);
    expect(JSON.stringify(view.blocks)).toContain("environment *prod*");
  });

  it("keeps a window typed in the command as an extra choice", () => {
    const view = renderAuditModal({ state: { f: { since: 1, span: "2026-11-01" } }, results: "loading", canExport: false });
    const since = element(view, INPUT.auditSince.block);
    expect((since.initial_option as { value: string }).value).toBe("2026-11-01");
    expect((since.options as { value: string }[]).map((option) => option.value)).toEqual(["2026-11-01", "1h", "24h", "7d", "30d", "all"]);
    expect((element(renderAuditModal({ state: { f: {} }, results: "loading", canExport: false }), INPUT.auditSince.block).initial_option as { value: string }).value).toBe("all");
  });

  it("pages inside the modal, but offers no Filters… button there", () => {
    const view = renderAuditModal({ state: { f: filters }, results: auditPage(20, { older: true, newer: true }), canExport: true });
    expect(decodeAuditState(buttonsNamed(view.blocks, ACTION.auditNext)[0]!.value as string)).toEqual({ f: filters, after: expect.any(String) });
    expect(decodeAuditState(buttonsNamed(view.blocks, ACTION.auditPrevious)[0]!.value as string)).toEqual({ f: filters, before: expect.any(String) });
    expect(buttonsNamed(view.blocks, ACTION.auditOpenFilters)).toEqual([]);
    expect(buttonsNamed(view.blocks, ACTION.auditExport)).toHaveLength(1);
  });

  describe("reading a submission", () => {
    it("turns the pickers into filters, keeping the environment applied before", () => {
      const read = readAuditModal(
        values({
          [INPUT.auditUsers.block]: { [INPUT.auditUsers.action]: { type: "multi_users_select", selected_users: ["U0BOB00001"] } },
          [INPUT.auditActions.block]: { [INPUT.auditActions.action]: { type: "multi_static_select", selected_options: [{ value: "snapshot_restored" }] } },
          [INPUT.auditVm.block]: { [INPUT.auditVm.action]: { type: "plain_text_input", value: "  db-01 " } },
          [INPUT.auditSince.block]: { [INPUT.auditSince.action]: { type: "static_select", selected_option: { value: "7d" } } },
          [INPUT.auditOutcome.block]: { [INPUT.auditOutcome.action]: { type: "multi_static_select", selected_options: [] } },
        }),
        NOW,
      );
      expect(read).toEqual({
        filters: { users: ["U0BOB00001"], actions: ["snapshot_restored"], vm: "db-01", env: "prod", since: Math.floor(NOW.getTime() / 1000) - 7 * 86_400, span: "7d" },
      });
    });

    it("reads an untouched modal as no filters but the environment", () => {
      expect(readAuditModal(values({}), NOW)).toEqual({ filters: { env: "prod" } });
      expect(readAuditModal({ state: { values: {} }, private_metadata: "garbage" }, NOW)).toEqual({ filters: {} });
    });

    it("puts problems on the field they belong to", () => {
      const longVm = values({ [INPUT.auditVm.block]: { [INPUT.auditVm.action]: { value: "v".repeat(MAX_FILTER_NAME + 1) } } });
      expect(readAuditModal(longVm, NOW)).toEqual({ errors: { [INPUT.auditVm.block]: `Use at most ${MAX_FILTER_NAME} characters.` } });
      const tooMany = values({ [INPUT.auditUsers.block]: { [INPUT.auditUsers.action]: { selected_users: Array.from({ length: MAX_AUDIT_USERS + 1 }, (_, i) => `U0000${i}`) } } });
      expect(readAuditModal(tooMany, NOW)).toEqual({ errors: { [INPUT.auditUsers.block]: `Pick at most ${MAX_AUDIT_USERS} people.` } });
      const badSpan = values({ [INPUT.auditSince.block]: { [INPUT.auditSince.action]: { selected_option: { value: "soon" } } } });
      expect(readAuditModal(badSpan, NOW)).toEqual({ errors: { [INPUT.auditSince.block]: expect.stringContaining("not a time") } });
    });
  });
});
