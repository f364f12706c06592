import { describe, expect, it } from "vitest";
import { defaultSnapshotName } from "../../../src/services/snapshot-service.js";
import { INPUT, VIEW } from "../../../src/slack/ids.js";
import { decodeSnapshotModalOrigin, renderSnapshotCreateModal, snapshotNameField } from "../../../src/slack/views/snapshot-modal.js";
import { modalProblems } from "./slack-limits.js";

const origin = { vm: 7, list: { kind: "ephemeral" as const, responseUrl: "https://hooks.slack.com/actions/T0/1/abc", channel: "C0123456789", user: "U0123" } };

describe("new snapshot modal", () => {
  it("is a valid modal with the name field prefilled, and carries the list to redraw in private_metadata", () => {
    const view = renderSnapshotCreateModal({ vm: { id: 7, name: "web-01" }, defaultName: "web-01-20261101-1200", origin });
    expect(modalProblems(view as never)).toEqual([]);
    expect(view.callback_id).toBe(VIEW.snapshotCreate);
    const input = view.blocks.find((block) => block.block_id === INPUT.snapshotName.block) as { element: { action_id: string; initial_value: string } };
    expect(input.element.action_id).toBe(INPUT.snapshotName.action);
    expect(input.element.initial_value).toBe("web-01-20261101-1200");
    expect(decodeSnapshotModalOrigin(view.private_metadata)).toEqual(origin);
  });

  it("stays inside the limits for a very long VM name, prefilling a valid default name", () => {
    const name = `vm-${"v".repeat(5000)}`;
    const defaultName = defaultSnapshotName(name, new Date("2026-11-01T12:00:00Z"));
    const view = renderSnapshotCreateModal({ vm: { id: 7, name }, defaultName, origin: { vm: 7 } });
    expect(modalProblems(view as never)).toEqual([]);
    expect(snapshotNameField.safeParse(defaultName).success).toBe(true);
    expect(decodeSnapshotModalOrigin(view.private_metadata)).toEqual({ vm: 7 });
  });

  it("checks the name the way the service does, with a message for the field", () => {
    expect(snapshotNameField.parse("  before-upgrade_2.1 ")).toBe("before-upgrade_2.1");
    expect(snapshotNameField.safeParse("").error?.issues[0]?.message).toBe("Give the snapshot a name.");
    expect(snapshotNameField.safeParse("has space").error?.issues[0]?.message).toMatch(/letters, digits/);
    expect(snapshotNameField.safeParse("-leading").success).toBe(false);
    expect(snapshotNameField.safeParse("a".repeat(81)).success).toBe(false);
  });

  it("refuses metadata it did not write", () => {
    expect(() => decodeSnapshotModalOrigin("{}")).toThrow(/out of date/);
    expect(() => decodeSnapshotModalOrigin(undefined)).toThrow(/out of date/);
  });
});
