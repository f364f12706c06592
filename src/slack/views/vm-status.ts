// The status card of one VM: what the cloud says, where it sits, what happened to it lately.
import type { Button, KnownBlock } from "@slack/types";
import type { OperationProgress } from "../../services/operation-service.js";
import type { VmDetail } from "../../services/vm-service.js";
import { ACTION } from "../ids.js";
import { PROVIDER_LABEL, STATUS_EMOJI, plural, tagList } from "./format.js";
import { LIMITS, escapeMrkdwn, slackDate, truncate } from "./limits.js";
import { renderOperationProgress } from "./operation-progress.js";
import type { SlackMessage } from "./vm-list.js";
import { removeVmButton } from "./vm-remove.js";

export interface VmStatusView {
  vm: VmDetail;
  canAct: boolean;
  /** Admins: a Remove button (behind a confirm dialog naming the VM). */
  canRemove?: boolean;
  operation?: OperationProgress;
  /** A copy shared in a channel: the facts, without any controls. */
  sharedBy?: string;
}

function field(label: string, value: unknown): { type: "mrkdwn"; text: string } | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return { type: "mrkdwn", text: truncate(`*${label}*\n${escapeMrkdwn(String(value))}`, LIMITS.fieldText) };
}

export function renderVmStatus({ vm, canAct, canRemove, operation, sharedBy }: VmStatusView): SlackMessage {
  const details = vm.details;
  const fields = [
    field("Status", `${vm.status}${vm.providerState ? ` (${vm.providerState})` : ""}`),
    field("Provider", `${PROVIDER_LABEL[vm.provider] ?? vm.provider} · ${vm.region}`),
    field("Environment", vm.environment ? `${vm.environment}${vm.group ? ` / ${vm.group}` : ""}` : undefined),
    field("Instance type", details.instanceType),
    field("CPU / memory", details.cpu ? `${details.cpu} vCPU · ${details.memoryGb ?? "?"} GB` : undefined),
    field("Private IP", details.privateIp),
    field("Public IP", details.publicIp),
    field("Resource", vm.providerResourceId),
    field("Snapshots", String(vm.snapshotCount)),
    field("Depends on", vm.dependsOn.join(", ") || undefined),
  ].filter((entry) => entry !== undefined).slice(0, LIMITS.sectionFields);

  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`${vm.name}`, LIMITS.headerText) } },
    {
      type: "section",
      text: { type: "mrkdwn", text: truncate(`${STATUS_EMOJI[vm.status]} *${vm.status}*${vm.tags && Object.keys(vm.tags).length ? `  ·  ${tagList(vm.tags, 8)}` : ""}`, LIMITS.sectionText) },
      fields,
    },
  ];
  if (vm.status === "error" && vm.statusMessage) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`:warning: *Provider says:* ${escapeMrkdwn(vm.statusMessage)}`, LIMITS.sectionText) } });
  }
  if (vm.driftDetected) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: ":mag: The cloud disagrees with the inventory (drift detected)." }] });
  }
  if (operation) blocks.push(...renderOperationProgress(operation));
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(historyText(vm), LIMITS.sectionText) }] });
  if (sharedBy) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Shared by <@${sharedBy}>` }] });
    return { text: `${vm.name}: ${vm.status} (shared by <@${sharedBy}>)`, blocks };
  }

  const controls: Button[] = [];
  if (canAct) {
    const confirm = (verb: string) => ({
      title: { type: "plain_text" as const, text: `${verb} ${truncate(vm.name, 60)}?` },
      text: { type: "mrkdwn" as const, text: truncate(`${verb} *${escapeMrkdwn(vm.name)}*?`, LIMITS.confirmText) },
      confirm: { type: "plain_text" as const, text: verb },
      deny: { type: "plain_text" as const, text: "Cancel" },
      style: "danger" as const,
    });
    const value = String(vm.id);
    controls.push(
      { type: "button", action_id: ACTION.vmStart, style: "primary", text: { type: "plain_text", text: "Start" }, value },
      { type: "button", action_id: ACTION.vmStop, style: "danger", text: { type: "plain_text", text: "Stop" }, value, confirm: confirm("Stop") },
      { type: "button", action_id: ACTION.vmReboot, text: { type: "plain_text", text: "Reboot" }, value, confirm: confirm("Reboot") },
    );
  }
  controls.push(
    { type: "button", action_id: ACTION.vmOpenSnapshots, text: { type: "plain_text", text: `Snapshots (${vm.snapshotCount})` }, value: String(vm.id) },
    { type: "button", action_id: ACTION.vmShare, text: { type: "plain_text", text: "Share in channel" }, value: String(vm.id) },
  );
  if (typeof details.consoleUrl === "string" && /^https?:\/\//.test(details.consoleUrl)) {
    controls.push({ type: "button", action_id: ACTION.vmConsole, text: { type: "plain_text", text: "Open console" }, url: details.consoleUrl.slice(0, 3000) });
  }
  if (canRemove) controls.push(removeVmButton(vm));
  blocks.push({ type: "actions", block_id: `vm_status:${vm.id}`, elements: controls });
  return { text: `${vm.name}: ${vm.status}`, blocks };
}

function historyText(vm: VmDetail): string {
  const changes = vm.stateHistory.map((row) => `${row.from ?? "?"} → ${row.to} ${slackDate(row.at)}`);
  const activity = vm.recentActivity.map((row) => `${row.action} (${row.outcome})${row.slackUserId ? ` by <@${row.slackUserId}>` : ""} ${slackDate(row.at)}`);
  const parts = [];
  parts.push(changes.length ? `*Recent changes:* ${changes.join(" · ")}` : "*Recent changes:* none");
  if (activity.length) parts.push(`*Recent activity:* ${activity.join(" · ")}`);
  if (vm.lastSyncedAt) parts.push(`Synced with the cloud ${slackDate(vm.lastSyncedAt)} · ${plural(vm.snapshotCount, "snapshot")}`);
  return parts.join("\n");
}
