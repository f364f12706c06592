// The "New snapshot" modal: one name field, prefilled. Which VM, and which list to redraw afterwards
// (and the channel to tell), ride in private_metadata.
import type { ModalView } from "@slack/types";
import { z } from "zod";
import { ValidationError } from "../../services/errors.js";
import { SNAPSHOT_NAME } from "../../services/snapshot-service.js";
import { INPUT, VIEW } from "../ids.js";
import { lookupTargetSchema } from "../lookup-target.js";
import { LIMITS, escapeMrkdwn, truncate } from "./limits.js";

const originSchema = z.object({
  vm: z.number().int().positive(),
  /** The snapshot list the modal was opened from, if any. */
  list: lookupTargetSchema.optional(),
});
export type SnapshotModalOrigin = z.infer<typeof originSchema>;

/** The name as typed; the service checks the same rule, this puts the error on the field. */
export const snapshotNameField = z
  .string()
  .trim()
  .min(1, "Give the snapshot a name.")
  .max(80, "Use at most 80 characters.")
  .regex(SNAPSHOT_NAME, "Use letters, digits, dots, dashes or underscores, starting with a letter or digit.");

export function encodeSnapshotModalOrigin(origin: SnapshotModalOrigin): string {
  return JSON.stringify(originSchema.parse(origin));
}

export function decodeSnapshotModalOrigin(metadata: string | undefined): SnapshotModalOrigin {
  try {
    return originSchema.parse(JSON.parse(metadata ?? ""));
  } catch {
    throw new ValidationError("That form is out of date; open it again from the snapshot list.");
  }
}

export function renderSnapshotCreateModal(input: { vm: { id: number; name: string }; defaultName: string; origin: SnapshotModalOrigin }): ModalView {
  return {
    type: "modal",
    callback_id: VIEW.snapshotCreate,
    private_metadata: encodeSnapshotModalOrigin(input.origin),
    title: { type: "plain_text", text: "New snapshot" },
    submit: { type: "plain_text", text: "Create" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: truncate(`Take a snapshot of *${escapeMrkdwn(input.vm.name)}*. You can restore the VM to it later.`, LIMITS.sectionText) },
      },
      {
        type: "input",
        block_id: INPUT.snapshotName.block,
        label: { type: "plain_text", text: "Snapshot name" },
        hint: { type: "plain_text", text: "Letters, digits, dots, dashes and underscores; at most 80 characters." },
        element: {
          type: "plain_text_input",
          action_id: INPUT.snapshotName.action,
          initial_value: input.defaultName.slice(0, 80),
          max_length: 80,
          placeholder: { type: "plain_text", text: "before-upgrade" },
        },
      },
    ],
  };
}
