// Small shared pieces of wording and emoji, so every surface shows a VM the same way.
import type { VmStatus } from "../../services/vm-query.js";
import { escapeMrkdwn, slackDate } from "./limits.js";

export const STATUS_EMOJI: Record<VmStatus, string> = {
  running: ":large_green_circle:",
  stopped: ":white_circle:",
  starting: ":large_yellow_circle:",
  stopping: ":large_orange_circle:",
  rebooting: ":arrows_counterclockwise:",
  error: ":red_circle:",
  unknown: ":grey_question:",
};

export const PROVIDER_LABEL: Record<string, string> = {
  aws: "AWS",
  azure: "Azure",
  gcp: "GCP",
  oci: "OCI",
  simulator: "Simulator",
};

export const ACTION_LABEL: Record<string, string> = {
  vm_start: "start",
  vm_stop: "stop",
  reboot: "reboot",
  snapshot_created: "snapshot",
  snapshot_restored: "restore",
  snapshot_deleted: "snapshot delete",
};

export function tagList(tags: Record<string, string>, max = 4): string {
  const entries = Object.entries(tags);
  const shown = entries.slice(0, max).map(([key, value]) => `\`${escapeMrkdwn(key)}=${escapeMrkdwn(value)}\``);
  if (entries.length > max) shown.push(`+${entries.length - max}`);
  return shown.join(" ");
}

export function lastActionText(lastAction: string | null, lastActionAt: Date | null): string {
  if (!lastAction || !lastActionAt) return "no actions yet";
  return `last ${ACTION_LABEL[lastAction] ?? lastAction} ${slackDate(lastActionAt)}`;
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
