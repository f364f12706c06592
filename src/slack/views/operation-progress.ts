// The progress panel of a batch action: "Starting 8 VMs: 3/8 running · 1 failed", then each VM.
import type { KnownBlock } from "@slack/types";
import type { OperationProgress, OperationVmProgress } from "../../services/operation-service.js";
import { STATUS_EMOJI, plural } from "./format.js";
import { LIMITS, escapeMrkdwn, truncate } from "./limits.js";

const KIND_VERB: Record<string, { progressive: string; done: string }> = {
  vm_start: { progressive: "Starting", done: "Started" },
  vm_stop: { progressive: "Stopping", done: "Stopped" },
  reboot: { progressive: "Rebooting", done: "Rebooted" },
};

const MAX_LINES = 25;

export function progressHeadline(progress: OperationProgress): string {
  const verb = KIND_VERB[progress.kind] ?? { progressive: "Working on", done: "Done with" };
  const target = progress.vms[0]?.targetState ?? "done";
  const finished = progress.inFlight === 0;
  const counts = [`${progress.atTarget}/${progress.total} ${target}`];
  if (progress.failed) counts.push(`${progress.failed} failed`);
  const icon = !finished ? ":hourglass_flowing_sand:" : progress.failed ? ":warning:" : ":white_check_mark:";
  return `${icon} *${finished ? verb.done : verb.progressive} ${plural(progress.total, "VM")}*: ${counts.join("  ·  ")}`;
}

function vmProgressLine(vm: OperationVmProgress): string {
  const state =
    vm.status === "failed" || vm.status === "skipped"
      ? `:x: failed${vm.message ? `: ${escapeMrkdwn(truncate(vm.message, 300))}` : ""}`
      : vm.status === "noop"
        ? `already ${vm.vmStatus}`
        : vm.status === "succeeded"
          ? `${vm.targetState}`
          : `${vm.vmStatus}…`;
  return `${STATUS_EMOJI[vm.vmStatus]} ${escapeMrkdwn(vm.name)}: ${state}`;
}

export function renderOperationProgress(progress: OperationProgress): KnownBlock[] {
  // Failures first: they are what the reader must see when the list is long.
  const ordered = [...progress.vms].sort((a, b) => rank(a) - rank(b));
  const headline = progressHeadline(progress);
  const budget = LIMITS.sectionText - headline.length - 40; // room for the "…and N more" line
  const lines: string[] = [];
  let used = 0;
  for (const vm of ordered.slice(0, MAX_LINES)) {
    const line = truncate(vmProgressLine(vm), 400);
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
  }
  if (ordered.length > lines.length) lines.push(`…and ${ordered.length - lines.length} more`);
  return [{ type: "section", block_id: "operation_progress", text: { type: "mrkdwn", text: truncate(`${headline}\n${lines.join("\n")}`, LIMITS.sectionText) } }];
}

function rank(vm: OperationVmProgress): number {
  if (vm.status === "failed" || vm.status === "skipped") return 0;
  if (vm.status === "running" || vm.status === "pending") return 1;
  return 2;
}
