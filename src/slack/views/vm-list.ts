// The VM list message: one page of VMs with a checkbox each, a typeahead that picks VMs from the
// whole inventory into the same selection, the bulk bar, paging, and live progress of the last action.
import type { Button, KnownBlock, PlainTextOption, SectionBlock } from "@slack/types";
import type { OperationProgress } from "../../services/operation-service.js";
import type { VmPage, VmSummary } from "../../services/vm-service.js";
import { ACTION } from "../ids.js";
import { PROVIDER_LABEL, STATUS_EMOJI, lastActionText, plural, tagList } from "./format.js";
import { LIMITS, escapeMrkdwn, truncate } from "./limits.js";
import { renderOperationProgress } from "./operation-progress.js";
import { encodeListState, pickerBlockId, type VmListState } from "./vm-list-state.js";

export interface VmListView {
  page: VmPage;
  total: number;
  state: VmListState;
  /** Every selected VM, on this page or not (names for the typeahead chips and confirm dialogs). */
  selected: { id: number; name: string }[];
  /** The reader may act on some VMs (somewhere): the picker and the bulk bar. */
  canAct: boolean;
  /** The VMs of this page the reader may start, stop or reboot (asked per VM's environment): their checkboxes. */
  actionable: readonly number[];
  operation?: OperationProgress;
  notice?: string;
  /** A copy shared in a channel: what the sharer saw, without any controls. */
  sharedBy?: string;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function renderVmList(view: VmListView): SlackMessage {
  const { page, total, state } = view;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Virtual machines" } },
    { type: "context", elements: [{ type: "mrkdwn", text: summaryLine(view) }] },
  ];
  if (view.operation) blocks.push(...renderOperationProgress(view.operation));
  if (view.notice) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(view.notice, LIMITS.sectionText) }] });
  if (!page.items.length) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: state.q ? "No VM matches this filter." : "No VMs yet." } });
  }
  const selectedIds = new Set(view.selected.map((vm) => vm.id));
  const controls = view.canAct && !view.sharedBy;
  const actionable = new Set(view.actionable);
  for (const vm of page.items) blocks.push(vmRow(vm, controls && actionable.has(vm.id), selectedIds.has(vm.id)));
  if (view.sharedBy) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Shared by <@${view.sharedBy}>` }] });
    return { text: `Virtual machines: ${plural(total, "VM")} (shared by <@${view.sharedBy}>)`, blocks };
  }
  blocks.push({ type: "divider" });
  const value = encodeListState(state);
  if (view.canAct) blocks.push(pickerBlock(view.selected, state), ...bulkBar(view.selected, value));
  blocks.push(navigationBlock(view));
  return { text: `Virtual machines: ${plural(total, "VM")}`, blocks };
}

function summaryLine({ page, total, state, selected }: VmListView): string {
  const parts = [total ? `${plural(total, "VM")}${page.items.length ? `, showing ${escapeMrkdwn(page.items[0]!.name)} – ${escapeMrkdwn(page.items[page.items.length - 1]!.name)}` : ""}` : "0 VMs"];
  if (state.q) parts.push(`filter \`${escapeMrkdwn(truncate(state.q, 200))}\``);
  if (selected.length) parts.push(`*${selected.length} selected*`);
  return parts.join("  ·  ");
}

export function vmLine(vm: VmSummary): string {
  const head = `${STATUS_EMOJI[vm.status]} *${escapeMrkdwn(vm.name)}*  ${vm.status}  ·  ${PROVIDER_LABEL[vm.provider] ?? vm.provider} ${escapeMrkdwn(vm.region)}`;
  const where = vm.environment ? `  ·  env *${escapeMrkdwn(vm.environment)}*` : "";
  const tags = tagList(vm.tags);
  const lines = [`${head}${where}`, `${tags ? `${tags}  ·  ` : ""}${lastActionText(vm.lastAction, vm.lastActionAt)}`];
  if (vm.status === "error" && vm.statusMessage) lines.push(`:warning: ${escapeMrkdwn(truncate(vm.statusMessage, 500))}`);
  return truncate(lines.join("\n"), LIMITS.sectionText);
}

function vmRow(vm: VmSummary, canAct: boolean, selected: boolean): SectionBlock {
  const block: SectionBlock = { type: "section", block_id: `vm_row:${vm.id}`, text: { type: "mrkdwn", text: vmLine(vm) } };
  if (!canAct) return block;
  const option: PlainTextOption = { text: { type: "plain_text", text: "Select" }, value: String(vm.id) };
  block.accessory = {
    type: "checkboxes",
    action_id: ACTION.vmSelect,
    options: [option],
    ...(selected ? { initial_options: [option] } : {}),
  };
  return block;
}

function pickerBlock(selected: { id: number; name: string }[], state: VmListState): KnownBlock {
  const initial = selected.slice(0, LIMITS.externalSelectOptions).map((vm) => vmOption(vm));
  return {
    type: "actions",
    // A tick sends no button value: the list's state reaches the bot in this block's id.
    block_id: pickerBlockId(state),
    elements: [
      {
        type: "multi_external_select",
        action_id: ACTION.vmPick,
        placeholder: { type: "plain_text", text: "Pick VMs by name, tag or environment…" },
        min_query_length: 0,
        ...(initial.length ? { initial_options: initial } : {}),
      },
    ],
  };
}

export function vmOption(vm: { id: number; name: string }, description?: string): PlainTextOption {
  return {
    text: { type: "plain_text", text: truncate(vm.name, LIMITS.optionText) },
    value: String(vm.id),
    ...(description ? { description: { type: "plain_text", text: truncate(description, LIMITS.optionDescription) } } : {}),
  };
}

function bulkBar(selected: { id: number; name: string }[], value: string): KnownBlock[] {
  if (!selected.length) return [];
  const names = selected.map((vm) => vm.name).join(", ");
  const count = `(${selected.length} selected)`;
  const confirm = (verb: string) => ({
    title: { type: "plain_text" as const, text: truncate(`${verb} ${plural(selected.length, "VM")}?`, LIMITS.confirmTitle) },
    text: { type: "mrkdwn" as const, text: truncate(`${verb} ${escapeMrkdwn(names)}?`, LIMITS.confirmText) },
    confirm: { type: "plain_text" as const, text: verb },
    deny: { type: "plain_text" as const, text: "Cancel" },
    style: "danger" as const,
  });
  const elements: Button[] = [
    { type: "button", action_id: ACTION.bulkStart, style: "primary", text: { type: "plain_text", text: `Start ${count}` }, value },
    { type: "button", action_id: ACTION.bulkStop, style: "danger", text: { type: "plain_text", text: `Stop ${count}` }, value, confirm: confirm("Stop") },
    { type: "button", action_id: ACTION.bulkReboot, text: { type: "plain_text", text: `Reboot ${count}` }, value, confirm: confirm("Reboot") },
    { type: "button", action_id: ACTION.clearSelection, text: { type: "plain_text", text: "Clear selection" }, value },
  ];
  return [{ type: "actions", block_id: "vm_list_bulk", elements }];
}

function stateWithPageBounds({ state, page }: VmListView): VmListState {
  return { ...state, first: page.items[0]?.id, last: page.items[page.items.length - 1]?.id };
}

function navigationBlock(view: VmListView): KnownBlock {
  // Every button carries the list's state: see vm-list-state.ts.
  const value = encodeListState(stateWithPageBounds(view));
  const elements: Button[] = [];
  if (view.page.hasPrevious) elements.push({ type: "button", action_id: ACTION.pagePrevious, text: { type: "plain_text", text: "◀ Previous" }, value });
  if (view.page.nextCursor) elements.push({ type: "button", action_id: ACTION.pageNext, text: { type: "plain_text", text: "Next ▶" }, value });
  elements.push(
    { type: "button", action_id: ACTION.openFilter, text: { type: "plain_text", text: "Filter…" }, value },
    { type: "button", action_id: ACTION.refresh, text: { type: "plain_text", text: "Refresh" }, value },
    { type: "button", action_id: ACTION.shareList, text: { type: "plain_text", text: "Share in channel" }, value },
  );
  return { type: "actions", block_id: "vm_list_nav", elements };
}
