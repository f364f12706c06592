// The list message carries its own state (filter, page position, selection, operation shown) in the
// value of its Refresh button, so any replica can handle the next click with no server-side session.
import { z } from "zod";
import { LIMITS } from "./limits.js";

export const MAX_SELECTION = 100;

const stateSchema = z.object({
  q: z.string().max(300).default(""),
  after: z.string().optional(),
  before: z.string().optional(),
  sel: z.array(z.number().int().positive()).max(MAX_SELECTION).default([]),
  op: z.number().int().positive().optional(),
  /** First and last VM names on the page shown, where Previous / Next continue from. */
  first: z.string().optional(),
  last: z.string().optional(),
});

export type VmListState = z.infer<typeof stateSchema>;

export function encodeListState(state: VmListState): string {
  const compact = { ...state, sel: state.sel.map((id) => id.toString(36)).join(".") };
  const value = JSON.stringify(compact);
  if (value.length > LIMITS.buttonValue) throw new Error("list state does not fit in a button value");
  return value;
}

export function decodeListState(value: string | undefined): VmListState {
  if (!value) return stateSchema.parse({});
  const raw = JSON.parse(value) as Record<string, unknown>;
  const sel = typeof raw.sel === "string" && raw.sel ? raw.sel.split(".").map((id) => parseInt(id, 36)) : [];
  return stateSchema.parse({ ...raw, sel });
}
