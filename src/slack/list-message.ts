// Reading a VM list message back from a block action: its state and the VMs shown on this page.
import type { BlockAction } from "@slack/bolt";
import { ACTION } from "./ids.js";
import { decodeListState, type VmListState } from "./views/vm-list-state.js";

interface BlockLike {
  block_id?: string;
  elements?: { action_id?: string; value?: string }[];
}

export function listStateOf(body: BlockAction): VmListState {
  const blocks = (body.message?.blocks ?? []) as BlockLike[];
  const refresh = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === ACTION.refresh);
  return decodeListState(refresh?.value);
}

export function pageVmIdsOf(body: BlockAction): number[] {
  const blocks = (body.message?.blocks ?? []) as BlockLike[];
  return blocks.flatMap((block) => (block.block_id?.startsWith("vm_row:") ? [Number(block.block_id.slice(7))] : []));
}

/** The page's ticked checkboxes, from the message's input state Slack sends with every action. */
export function checkedVmIdsOf(body: BlockAction): number[] {
  const values = (body.state?.values ?? {}) as Record<string, Record<string, { selected_options?: { value: string }[] }>>;
  return Object.entries(values).flatMap(([blockId, inputs]) =>
    blockId.startsWith("vm_row:") ? (inputs[ACTION.vmSelect]?.selected_options ?? []).map((option) => Number(option.value)) : [],
  );
}
