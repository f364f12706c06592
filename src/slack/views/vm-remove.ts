// Removing a VM from the inventory: the Remove button (status card and `/vm remove`), always behind
// a confirm dialog naming the VM, and the confirmation message `/vm remove` answers with.
import type { Button, KnownBlock } from "@slack/types";
import { ACTION } from "../ids.js";
import { plural } from "./format.js";
import { LIMITS, escapeMrkdwn, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

export function removeVmButton(vm: { id: number; name: string }): Button {
  return {
    type: "button",
    action_id: ACTION.vmRemove,
    text: { type: "plain_text", text: "Remove" },
    value: String(vm.id),
    confirm: {
      title: { type: "plain_text", text: truncate(`Remove ${vm.name}?`, LIMITS.confirmTitle) },
      text: {
        type: "mrkdwn",
        text: truncate(`Remove *${escapeMrkdwn(vm.name)}* from the inventory? The cloud machine keeps running as it is; its snapshots and history stay on record.`, LIMITS.confirmText),
      },
      confirm: { type: "plain_text", text: "Remove" },
      deny: { type: "plain_text", text: "Cancel" },
      style: "danger",
    },
  };
}

export function renderRemoveConfirmation(vm: { id: number; name: string; snapshotsKept: number; inFlight: string | null }): SlackMessage {
  const busy = vm.inFlight ? `\n:hourglass_flowing_sand: ${escapeMrkdwn(vm.inFlight)} is in flight on it: removing is refused until that is done.` : "";
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `:wastebasket: Remove *${escapeMrkdwn(vm.name)}* from the inventory? The cloud machine itself is not touched; ${plural(vm.snapshotsKept, "snapshot")} and its state history stay on record.${busy}`,
          LIMITS.sectionText,
        ),
      },
    },
    { type: "actions", block_id: `vm_remove:${vm.id}`, elements: [removeVmButton(vm)] },
  ];
  return { text: `Remove ${vm.name} from the inventory?`, blocks };
}

export function renderVmRemoved(vm: { name: string; snapshotsKept: number }, slackUserId: string): SlackMessage {
  const text = `:wastebasket: <@${slackUserId}> removed *${escapeMrkdwn(vm.name)}* from the inventory. The cloud machine was not touched; ${plural(vm.snapshotsKept, "snapshot")} and its history are kept.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) } }] };
}
