// The list message carries its own state, so any replica can handle the next click with no server-side
// session. Slack does not send an ephemeral message back with an action, only the clicked element and
// the inputs' state, so the state rides where those reach the bot:
// - the filter, page position and operation shown: in the value of the list's buttons (for everyone) and
//   in the block_id of the VM picker (for a tick, which carries no button value);
// - the selection: in the reader's own inputs (the picker's chips and the ticked rows), never in the
//   message itself, so each user's selection is their own.
import { z } from "zod";
import { ValidationError } from "../../services/errors.js";
import { LIMITS } from "./limits.js";

export const MAX_SELECTION = 100;
/** Longest list filter: it must fit in the picker's block_id along with the page position. */
export const MAX_LIST_FILTER = 150;
export const PICKER_BLOCK_PREFIX = "vm_list:";

const id = z.number().int().positive();
const stateSchema = z.object({
  q: z.string().max(300).default(""),
  /** The page starts after this VM, or ends before this one (VM ids: short, and names may be long). */
  after: id.optional(),
  before: id.optional(),
  sel: z.array(id).max(MAX_SELECTION).default([]),
  op: id.optional(),
  /** First and last VMs on the page shown, where Previous / Next continue from. */
  first: id.optional(),
  last: id.optional(),
});

export type VmListState = z.infer<typeof stateSchema>;

/** A filter the list can carry, or a message saying why not. */
export function checkListFilter(q: string): void {
  if (q.trim().length > MAX_LIST_FILTER) throw new ValidationError(`That filter is too long: use at most ${MAX_LIST_FILTER} characters.`);
}

/** The state for the list's buttons; the selection is left out (it lives in the reader's inputs). */
export function encodeListState(state: VmListState): string {
  const { sel: _sel, ...rest } = state;
  const value = JSON.stringify(rest);
  if (value.length > LIMITS.buttonValue) throw new Error("list state does not fit in a button value");
  return value;
}

export function decodeListState(value: string | undefined): VmListState {
  if (!value) return stateSchema.parse({});
  try {
    const { sel: _sel, ...raw } = JSON.parse(value) as Record<string, unknown>;
    return stateSchema.parse(raw);
  } catch {
    throw new ValidationError("That list is out of date; run `/vm list` again.");
  }
}

const b36 = (value: number | undefined) => (value === undefined ? "" : value.toString(36));
const fromB36 = (value: string | undefined) => (value ? parseInt(value, 36) : undefined);

/** `vm_list:<op>:<after>:<before>:<filter>`; the filter last and raw, so any text fits without escaping. */
export function pickerBlockId(state: VmListState): string {
  const head = `${PICKER_BLOCK_PREFIX}${b36(state.op)}:${b36(state.after)}:${b36(state.before)}:`;
  // A filter longer than the command accepts only reaches here from a test: keep the block valid.
  return `${head}${state.q}`.slice(0, LIMITS.blockId);
}

export function decodePickerBlockId(blockId: string): VmListState {
  const [op, after, before, ...q] = blockId.slice(PICKER_BLOCK_PREFIX.length).split(":");
  return stateSchema.parse({ q: q.join(":"), op: fromB36(op), after: fromB36(after), before: fromB36(before) });
}
