// The VM list, status card, progress and filter surfaces stay inside Slack's limits for any inventory:
// 0, 1, 10, 11 and 5,000 VMs, long names, full selections and long provider messages.
import { describe, expect, it } from "vitest";
import type { OperationProgress } from "../../../src/services/operation-service.js";
import type { VmDetail, VmSummary } from "../../../src/services/vm-service.js";
import { renderOperationMessage } from "../../../src/slack/views/operation-message.js";
import { renderVmFilterModal } from "../../../src/slack/views/vm-filter-modal.js";
import { renderVmList } from "../../../src/slack/views/vm-list.js";
import { decodeListState, decodePickerBlockId, encodeListState, MAX_SELECTION, pickerBlockId } from "../../../src/slack/views/vm-list-state.js";
import { renderVmStatus } from "../../../src/slack/views/vm-status.js";
import { renderHelp } from "../../../src/slack/views/help.js";
import { subcommands } from "../../../src/slack/listeners/commands/vm-command.js";
import { buttonsNamed, messageProblems, modalProblems } from "./slack-limits.js";

const LONG = "x".repeat(255);
const PAGE = 10;

function vm(index: number, name = `vm-${index}`): VmSummary {
  return {
    id: index + 1,
    name,
    status: index % 3 === 0 ? "error" : "running",
    statusMessage: index % 3 === 0 ? `Server.InsufficientInstanceCapacity: ${"no capacity ".repeat(200)}` : null,
    provider: "aws",
    region: "eu-west-1",
    tags: Object.fromEntries(Array.from({ length: 12 }, (_, tag) => [`key-${tag}-${LONG.slice(0, 50)}`, `value-${LONG.slice(0, 80)}`])),
    lastAction: "vm_start",
    lastActionAt: new Date("2026-11-20T10:00:00Z"),
    environment: "production",
    environmentId: 1,
    group: "web",
  };
}

function listFor(total: number, options: { long?: boolean; selected?: number; canAct?: boolean; actionable?: (vm: VmSummary) => boolean; operationSize?: number } = {}) {
  const items = Array.from({ length: Math.min(total, PAGE) }, (_, index) => vm(index, options.long ? `${LONG.slice(0, 240)}-${index}` : `vm-${index}`));
  const selected = Array.from({ length: options.selected ?? 0 }, (_, index) => ({ id: 10_000 + index, name: options.long ? `${LONG}` : `sel-${index}` }));
  return renderVmList({
    page: { items, hasPrevious: total > PAGE, nextCursor: total > PAGE ? "cursor" : undefined },
    total,
    state: { q: options.long ? `name~${"q".repeat(290)}` : "", sel: selected.map((entry) => entry.id) },
    selected,
    canAct: options.canAct ?? true,
    actionable: items.filter(options.actionable ?? (() => true)).map((item) => item.id),
    operation: options.operationSize ? progress(options.operationSize) : undefined,
  });
}

function progress(size: number): OperationProgress {
  return {
    operationId: 1,
    kind: "vm_start",
    status: "running",
    total: size,
    atTarget: 1,
    failed: 1,
    inFlight: size - 2,
    createdAt: new Date(),
    finishedAt: null,
    vms: Array.from({ length: size }, (_, index) => ({
      vmId: index,
      name: `${LONG}-${index}`,
      targetState: "running",
      status: index === 0 ? "failed" : index === 1 ? "succeeded" : "running",
      vmStatus: index === 0 ? "error" : index === 1 ? "running" : "starting",
      message: index === 0 ? "x".repeat(5000) : null,
    })),
  };
}

describe("VM list message", () => {
  for (const total of [0, 1, 10, 11, 5000]) {
    it(`stays within Slack's limits for ${total} VMs`, () => {
      for (const options of [{}, { long: true }, { long: true, selected: MAX_SELECTION }, { operationSize: 200, long: true, selected: MAX_SELECTION }, { canAct: false }]) {
        const message = listFor(total, options);
        expect(messageProblems(message)).toEqual([]);
        expect(buttonsNamed(message.blocks, "vm_list_select").length).toBe((options as { canAct?: boolean }).canAct === false ? 0 : Math.min(total, PAGE));
      }
    });
  }

  it("offers paging only where there is another page", () => {
    const one = listFor(1);
    expect(buttonsNamed(one.blocks, "vm_list_next")).toHaveLength(0);
    expect(buttonsNamed(one.blocks, "vm_list_previous")).toHaveLength(0);
    const many = listFor(5000);
    expect(buttonsNamed(many.blocks, "vm_list_next")).toHaveLength(1);
    expect(buttonsNamed(many.blocks, "vm_list_previous")).toHaveLength(1);
  });

  it("shows the bulk bar with counts and confirm dialogs only when something is selected", () => {
    expect(buttonsNamed(listFor(11).blocks, "vm_list_start")).toHaveLength(0);
    const selected = listFor(11, { selected: 3 });
    const [start] = buttonsNamed(selected.blocks, "vm_list_start");
    const [stop] = buttonsNamed(selected.blocks, "vm_list_stop");
    expect(JSON.stringify(start!.text)).toContain("Start (3 selected)");
    expect(start!.confirm).toBeUndefined();
    expect(JSON.stringify(stop!.confirm)).toContain("sel-0, sel-1, sel-2");
  });

  it("renders a copy shared in a channel with no controls at all, naming who shared it", () => {
    const items = Array.from({ length: 3 }, (_, index) => vm(index));
    const shared = renderVmList({ page: { items, hasPrevious: false }, total: 3, state: { q: "", sel: [1] }, selected: [{ id: 1, name: "vm-0" }], canAct: true, actionable: items.map((item) => item.id), sharedBy: "U0SHARER" });
    expect(messageProblems(shared)).toEqual([]);
    expect(JSON.stringify(shared.blocks)).not.toContain("action_id");
    expect(JSON.stringify(shared.blocks)).toContain("Shared by <@U0SHARER>");
  });

  it("gives a checkbox only to the VMs the reader may act on (the others sit in environments they only view)", () => {
    const message = listFor(10, { actionable: (item) => item.id % 2 === 0 });
    const rows = message.blocks.filter((block) => block.block_id?.startsWith("vm_row:"));
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => "accessory" in row && row.accessory).map((row) => row.block_id)).toEqual(["vm_row:2", "vm_row:4", "vm_row:6", "vm_row:8", "vm_row:10"]);
  });

  it("gives viewers no action controls at all", () => {
    const text = JSON.stringify(listFor(5000, { canAct: false, selected: 2 }).blocks);
    expect(text).not.toMatch(/vm_list_(select|pick|start|stop|reboot|clear)/);
  });

  it("carries its state in its buttons and the picker's block_id, and the selection only in the reader's inputs", () => {
    const message = listFor(5000, { selected: MAX_SELECTION });
    const [refresh] = buttonsNamed(message.blocks, "vm_list_refresh");
    const state = decodeListState(refresh!.value as string);
    expect(state.sel).toEqual([]); // a shared message never holds anyone's selection
    expect(state.first).toBe(1);
    expect(state.last).toBe(10);
    expect(decodeListState(encodeListState(state))).toEqual(state);
    const picker = message.blocks.find((block) => String(block.block_id).startsWith("vm_list:"))!;
    expect((picker as { elements: { initial_options: unknown[] }[] }).elements[0]!.initial_options).toHaveLength(MAX_SELECTION);
    const ticking = { q: "status:stopped name~a:b", sel: [], after: 123456, op: 42 };
    expect(decodePickerBlockId(pickerBlockId(ticking))).toEqual(ticking);
  });
});

describe("status card, progress and filter modal", () => {
  const detail = (name: string): VmDetail => ({
    ...vm(0, name),
    providerResourceId: `i-${LONG}`,
    providerState: "pending",
    lastSyncedAt: new Date(),
    driftDetected: true,
    details: { instanceType: LONG, cpu: 4, memoryGb: 16, privateIp: "10.0.0.1", publicIp: "1.2.3.4", consoleUrl: `https://console.example.com/${LONG}` },
    snapshotCount: 3,
    dependsOn: Array.from({ length: 50 }, (_, index) => `${LONG}-${index}`),
    stateHistory: Array.from({ length: 5 }, () => ({ at: new Date(), from: "stopped" as const, to: "running" as const, reason: "start" })),
    recentActivity: Array.from({ length: 5 }, () => ({ at: new Date(), action: "vm_start", outcome: "succeeded", slackUserId: "U0123" })),
  });

  it("renders a status card within limits, with actions only for those who may act", () => {
    for (const name of ["web-1", LONG]) {
      for (const canAct of [true, false]) {
        const card = renderVmStatus({ vm: detail(name), canAct, operation: progress(1) });
        expect(messageProblems(card)).toEqual([]);
        expect(buttonsNamed(card.blocks, "vm_start")).toHaveLength(canAct ? 1 : 0);
        expect(buttonsNamed(card.blocks, "vm_snapshots")).toHaveLength(1);
      }
    }
  });

  it("renders progress for a full batch with failures first", () => {
    const message = renderOperationMessage(progress(200), "U0123");
    expect(messageProblems(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("1/200 running");
    expect(text).toMatch(/and \d+ more/);
    expect(text.indexOf(":x: failed")).toBeLessThan(text.indexOf("starting…"));
  });

  it("renders the filter modal and help within limits", () => {
    const list = { kind: "ephemeral" as const, responseUrl: `https://hooks.slack.com/actions/T0/1/${"x".repeat(200)}`, channel: "C0123456789", user: "U0123" };
    const modal = renderVmFilterModal({ q: "q".repeat(300), sel: Array.from({ length: MAX_SELECTION }, (_, index) => index + 1), first: 1, last: 2 }, list);
    expect(modalProblems(modal as never)).toEqual([]);
    expect(messageProblems(renderHelp(subcommands()))).toEqual([]);
  });
});
