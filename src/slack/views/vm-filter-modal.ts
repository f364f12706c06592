// The list's filter box, as a modal. private_metadata remembers which list to redraw, and how.
import type { ModalView } from "@slack/types";
import { VM_QUERY_HELP } from "../../services/vm-query.js";
import { INPUT, VIEW } from "../ids.js";
import type { LookupTarget } from "../lookup-target.js";
import { LIMITS } from "./limits.js";
import { MAX_LIST_FILTER, type VmListState } from "./vm-list-state.js";

export interface VmFilterModalMetadata {
  list: LookupTarget;
  state: VmListState;
}

export function renderVmFilterModal(state: VmListState, list: LookupTarget): ModalView {
  const metadata: VmFilterModalMetadata = { list, state: { ...state, first: undefined, last: undefined } };
  const privateMetadata = JSON.stringify(metadata);
  return {
    type: "modal",
    callback_id: VIEW.vmFilter,
    title: { type: "plain_text", text: "Filter VMs" },
    submit: { type: "plain_text", text: "Apply" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata.length <= LIMITS.privateMetadata ? privateMetadata : JSON.stringify({ list, state: { q: state.q, sel: [] } }),
    blocks: [
      {
        type: "input",
        block_id: INPUT.filterQuery.block,
        optional: true,
        label: { type: "plain_text", text: "Filter" },
        hint: { type: "plain_text", text: `Combine any of: ${VM_QUERY_HELP}. Leave empty for all VMs.` },
        element: {
          type: "plain_text_input",
          action_id: INPUT.filterQuery.action,
          max_length: MAX_LIST_FILTER,
          ...(state.q ? { initial_value: state.q.slice(0, MAX_LIST_FILTER) } : {}),
          placeholder: { type: "plain_text", text: "status:running provider:aws" },
        },
      },
    ],
  };
}
