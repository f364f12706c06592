// Reading a VM list back from a block action. Slack sends an ephemeral message's actions without the
// message, so everything comes from what every action carries: the clicked element and the reader's
// inputs (state.values). See views/vm-list-state.ts for where each part of the state rides.
import type { BlockAction } from "@slack/bolt";
import { ACTION } from "./ids.js";
import { PICKER_BLOCK_PREFIX, decodeListState, decodePickerBlockId, type VmListState } from "./views/vm-list-state.js";

type InputValues = Record<string, Record<string, { selected_options?: { value: string }[] | null }>>;

function inputsOf(body: BlockAction): InputValues {
  return (body.state?.values ?? {}) as InputValues;
}

const ids = (options: { value: string }[] | null | undefined) => (options ?? []).map((option) => Number(option.value)).filter(Number.isInteger);

/**
 * The list's state with the reader's selection: from the clicked button's value, or (for a tick or a
 * pick, which carry none) from the picker's block_id.
 */
export function listStateOf(body: BlockAction): VmListState {
  const action = body.actions[0] as { type?: string; value?: string } | undefined;
  const pickerBlock = Object.keys(inputsOf(body)).find((blockId) => blockId.startsWith(PICKER_BLOCK_PREFIX));
  const state = action?.type === "button" ? decodeListState(action.value) : pickerBlock ? decodePickerBlockId(pickerBlock) : decodeListState(undefined);
  return { ...state, sel: selectionOf(body) };
}

/** The VM ids with a row on the page shown. */
export function pageVmIdsOf(body: BlockAction): number[] {
  return Object.keys(inputsOf(body)).flatMap((blockId) => (blockId.startsWith("vm_row:") ? [Number(blockId.slice(7))] : []));
}

/**
 * The reader's selection, as their inputs hold it: the picker's chips (every selected VM, on this page
 * or not) with this page's rows as ticked now. A change of the picker itself is the whole selection.
 */
export function selectionOf(body: BlockAction): number[] {
  const values = inputsOf(body);
  const action = body.actions[0] as { action_id?: string; selected_options?: { value: string }[] } | undefined;
  if (action?.action_id === ACTION.vmPick) return [...new Set(ids(action.selected_options))];
  const chips = Object.entries(values).flatMap(([blockId, inputs]) => (blockId.startsWith(PICKER_BLOCK_PREFIX) ? ids(inputs[ACTION.vmPick]?.selected_options) : []));
  const onPage = new Set(pageVmIdsOf(body));
  const ticked = Object.entries(values).flatMap(([blockId, inputs]) => (blockId.startsWith("vm_row:") ? ids(inputs[ACTION.vmSelect]?.selected_options) : []));
  return [...new Set([...chips.filter((id) => !onPage.has(id)), ...ticked])];
}
