// The snapshot list message of one VM: a page of its snapshots, newest first, each with Restore and
// Delete for those allowed to, a New snapshot button, paging, and a restore's progress in place.
import type { Button, ConfirmationDialog, KnownBlock } from "@slack/types";
import { z } from "zod";
import { ValidationError } from "../../services/errors.js";
import type { Permission } from "../../services/policy.js";
import type { RestoreStep, SnapshotStatus, SnapshotView } from "../../services/snapshot-service.js";
import type { VmStatus } from "../../services/vm-query.js";
import { ACTION } from "../ids.js";
import { STATUS_EMOJI, plural } from "./format.js";
import { LIMITS, escapeMrkdwn, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

export const SNAPSHOT_PAGE_SIZE = 10;
export const SNAPSHOT_NAV_BLOCK = "snapshot_nav";

// The list carries its own state (which VM, which page) in its paging and Refresh buttons.
const stateSchema = z.object({ vm: z.number().int().positive(), o: z.number().int().min(0).default(0) });
export type SnapshotListState = z.infer<typeof stateSchema>;

export function encodeSnapshotListState(state: SnapshotListState): string {
  return JSON.stringify({ vm: state.vm, o: state.o });
}

export function decodeSnapshotListState(value: string | undefined): SnapshotListState {
  try {
    return stateSchema.parse(JSON.parse(value ?? ""));
  } catch {
    throw new ValidationError("That snapshot list is out of date; run `/vm snapshots <vm>` again.");
  }
}

/** The state of a list message, read back from its Refresh button (restore and delete keep the page). */
export function snapshotListStateIn(blocks: readonly unknown[]): SnapshotListState | undefined {
  for (const block of blocks as { elements?: { action_id?: string; value?: string }[] }[]) {
    const refresh = block.elements?.find((element) => element.action_id === ACTION.snapshotRefresh);
    if (refresh) return decodeSnapshotListState(refresh.value);
  }
  return undefined;
}

export interface RestoreView {
  snapshotName: string;
  requestedBy: string;
  /** Steps reached so far, in order; the last is under way unless it is "done" or there is a failure. */
  steps: RestoreStep[];
  failure?: string;
}

export interface SnapshotListView {
  vm: { id: number; name: string; status: VmStatus };
  /** Every snapshot of the VM, newest first; the view shows one page. */
  snapshots: SnapshotView[];
  /** What the reader may do with this VM's snapshots (asked of the policy by the presenter). */
  permissions: readonly Permission[];
  offset?: number;
  notice?: string;
  restore?: RestoreView;
}

const SNAPSHOT_EMOJI: Record<SnapshotStatus, string> = {
  available: ":large_green_circle:",
  creating: ":large_yellow_circle:",
  restoring: ":arrows_counterclockwise:",
  deleting: ":wastebasket:",
  error: ":red_circle:",
};

const STEP_TEXT: Record<Exclude<RestoreStep, "done">, { doing: string; done: string }> = {
  stopping: { doing: "stopping the VM…", done: "VM stopped" },
  restoring: { doing: "restoring the disk…", done: "disk restored" },
  starting: { doing: "starting the VM…", done: "VM started" },
};

export function restoreInProgress(restore: RestoreView | undefined): boolean {
  return !!restore && !restore.failure && restore.steps.at(-1) !== "done";
}

export function renderSnapshotList(view: SnapshotListView): SlackMessage {
  const { vm, snapshots, permissions } = view;
  const offset = pageStart(view.offset ?? 0, snapshots.length);
  const page = snapshots.slice(offset, offset + SNAPSHOT_PAGE_SIZE);
  // No new work while a restore runs from this message: the next click would only conflict.
  const idle = !restoreInProgress(view.restore);
  const allowed = {
    create: idle && permissions.includes("snapshot_create"),
    restore: idle && permissions.includes("snapshot_restore"),
    delete: idle && permissions.includes("snapshot_delete"),
  };

  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`Snapshots of ${vm.name}`, LIMITS.headerText) } },
    { type: "context", elements: [{ type: "mrkdwn", text: summaryLine(view, offset, page.length) }] },
  ];
  if (view.restore) blocks.push({ type: "section", block_id: "snapshot_restore_progress", text: { type: "mrkdwn", text: restoreText(vm.name, view.restore) } });
  if (view.notice) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(view.notice, LIMITS.sectionText) }] });
  if (!snapshots.length) {
    const hint = allowed.create ? " Take one before risky changes, to have a way back." : "";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`No snapshots of *${escapeMrkdwn(vm.name)}* yet.${hint}`, LIMITS.sectionText) } });
  }
  for (const snapshot of page) {
    blocks.push({ type: "section", block_id: `snapshot_row:${snapshot.id}`, text: { type: "mrkdwn", text: snapshotLine(snapshot) } });
    const buttons = snapshotButtons(vm.name, snapshot, allowed);
    if (buttons.length) blocks.push({ type: "actions", block_id: `snapshot:${snapshot.id}`, elements: buttons });
  }
  blocks.push(navigationBlock(vm.id, offset, snapshots.length, allowed.create));
  return { text: truncate(`Snapshots of ${vm.name}: ${plural(snapshots.length, "snapshot")}`, LIMITS.sectionText), blocks };
}

/** The first index of the page holding `offset`, kept inside the list when it shrank. */
function pageStart(offset: number, total: number): number {
  const lastPage = Math.max(0, Math.ceil(total / SNAPSHOT_PAGE_SIZE) - 1) * SNAPSHOT_PAGE_SIZE;
  return Math.min(Math.max(0, offset - (offset % SNAPSHOT_PAGE_SIZE)), lastPage);
}

function summaryLine({ vm, snapshots }: SnapshotListView, offset: number, shown: number): string {
  const parts = [`${STATUS_EMOJI[vm.status]} *${escapeMrkdwn(vm.name)}* is ${vm.status}`, plural(snapshots.length, "snapshot")];
  if (snapshots.length > SNAPSHOT_PAGE_SIZE) parts.push(`showing ${offset + 1}–${offset + shown}, newest first`);
  return truncate(parts.join("  ·  "), LIMITS.sectionText);
}

function snapshotLine(snapshot: SnapshotView): string {
  const size = snapshot.sizeGb === null ? "size unknown" : `${snapshot.sizeGb.toLocaleString("en-US", { maximumFractionDigits: 1 })} GB`;
  const by = snapshot.createdBy ? ` by <@${snapshot.createdBy}>` : "";
  const head = `${SNAPSHOT_EMOJI[snapshot.status]} *${escapeMrkdwn(truncate(snapshot.name, 200))}*  ${snapshot.status}  ·  ${size}`;
  return truncate(`${head}\nCreated ${slackDate(snapshot.createdAt)}${by}`, LIMITS.sectionText);
}

/** Names in dialogs are cut short enough that both always fit the dialog's 300 characters. */
function shortName(name: string): string {
  return escapeMrkdwn(truncate(name, 60));
}

function confirmDialog(title: string, text: string, verb: string): ConfirmationDialog {
  return {
    title: { type: "plain_text", text: truncate(title, LIMITS.confirmTitle) },
    text: { type: "mrkdwn", text: truncate(text, LIMITS.confirmText) },
    confirm: { type: "plain_text", text: verb },
    deny: { type: "plain_text", text: "Cancel" },
    style: "danger",
  };
}

function snapshotButtons(vmName: string, snapshot: SnapshotView, allowed: { restore: boolean; delete: boolean }): Button[] {
  const buttons: Button[] = [];
  const names = { vm: shortName(vmName), snapshot: shortName(snapshot.name) };
  if (allowed.restore && snapshot.status === "available") {
    buttons.push({
      type: "button",
      action_id: ACTION.snapshotRestore,
      text: { type: "plain_text", text: "Restore" },
      value: String(snapshot.id),
      confirm: confirmDialog(
        "Restore from snapshot?",
        `Restore *${names.vm}* from snapshot *${names.snapshot}*? Changes made since the snapshot are lost. A running VM is stopped first and started again afterwards.`,
        "Restore",
      ),
    });
  }
  if (allowed.delete && snapshot.status !== "deleting" && snapshot.status !== "restoring") {
    buttons.push({
      type: "button",
      action_id: ACTION.snapshotDelete,
      style: "danger",
      text: { type: "plain_text", text: "Delete" },
      value: String(snapshot.id),
      confirm: confirmDialog("Delete snapshot?", `Delete snapshot *${names.snapshot}* of *${names.vm}*? This cannot be undone.`, "Delete"),
    });
  }
  return buttons;
}

function navigationBlock(vmId: number, offset: number, total: number, canCreate: boolean): KnownBlock {
  const state = (o: number) => encodeSnapshotListState({ vm: vmId, o });
  const elements: Button[] = [];
  if (canCreate) {
    elements.push({ type: "button", action_id: ACTION.snapshotOpenCreate, style: "primary", text: { type: "plain_text", text: "New snapshot…" }, value: String(vmId) });
  }
  if (offset > 0) {
    elements.push({ type: "button", action_id: ACTION.snapshotPrevious, text: { type: "plain_text", text: "◀ Newer" }, value: state(Math.max(0, offset - SNAPSHOT_PAGE_SIZE)) });
  }
  if (offset + SNAPSHOT_PAGE_SIZE < total) {
    elements.push({ type: "button", action_id: ACTION.snapshotNext, text: { type: "plain_text", text: "Older ▶" }, value: state(offset + SNAPSHOT_PAGE_SIZE) });
  }
  elements.push({ type: "button", action_id: ACTION.snapshotRefresh, text: { type: "plain_text", text: "Refresh" }, value: state(offset) });
  return { type: "actions", block_id: SNAPSHOT_NAV_BLOCK, elements };
}

function restoreText(vmName: string, restore: RestoreView): string {
  const what = `${escapeMrkdwn(truncate(vmName, 200))} from ${escapeMrkdwn(truncate(restore.snapshotName, 200))}`;
  const last = restore.steps.at(-1);
  const headline = restore.failure
    ? `:x: *Restore of ${what} failed*`
    : last === "done"
      ? `:white_check_mark: *Restored ${what}*`
      : `:hourglass_flowing_sand: *Restoring ${what}*`;
  const steps = restore.steps.filter((step): step is Exclude<RestoreStep, "done"> => step !== "done");
  const trail = steps.map((step, index) => {
    if (index < steps.length - 1 || last === "done") return `:white_check_mark: ${STEP_TEXT[step].done}`;
    return restore.failure ? `:x: ${STEP_TEXT[step].doing.replace("…", "")}` : `:hourglass_flowing_sand: ${STEP_TEXT[step].doing}`;
  });
  const lines = [`${headline}  (requested by <@${restore.requestedBy}>)`];
  if (trail.length) lines.push(trail.join("  →  "));
  if (restore.failure) lines.push(escapeMrkdwn(truncate(restore.failure, 1000)));
  return truncate(lines.join("\n"), LIMITS.sectionText);
}

/** A restore's outcome message in the channel: who restored which VM from what, step by step. */
export function renderRestoreMessage(vmName: string, restore: RestoreView): SlackMessage {
  const text = restoreText(vmName, restore);
  return { text: truncate(text.split("\n")[0]!.replace(/\*/g, ""), LIMITS.sectionText), blocks: [{ type: "section", block_id: "snapshot_restore_progress", text: { type: "mrkdwn", text } }] };
}

/** A one-line outcome for the channel (a snapshot taken or deleted). */
export function renderSnapshotOutcome(text: string): SlackMessage {
  const line = truncate(text, LIMITS.sectionText);
  return { text: line, blocks: [{ type: "section", text: { type: "mrkdwn", text: line } }] };
}
