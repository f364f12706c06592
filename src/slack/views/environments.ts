// Environments in Block Kit (pure: data in, blocks out): the list, one environment as a tree, a plan,
// the confirmation before a run, and the live progress of a run with Retry failed.
import type { KnownBlock } from "@slack/types";
import type { EnvironmentSummary, EnvironmentView } from "../../services/environments/environment-service.js";
import type { EnvironmentProgress, StepProgress, StepState } from "../../services/environments/execution-model.js";
import type { EnvironmentAction, EnvironmentPlan } from "../../services/environments/plan.js";
import { requestAccessBlocks, requestAccessButton } from "./access.js";
import { ACTION } from "../ids.js";
import { escapeMrkdwn, LIMITS, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const STATUS_ICON: Record<string, string> = {
  running: ":large_green_circle:",
  stopped: ":white_circle:",
  starting: ":large_yellow_circle:",
  stopping: ":large_yellow_circle:",
  rebooting: ":large_yellow_circle:",
  error: ":red_circle:",
  unknown: ":grey_question:",
};

const STEP_ICON: Record<StepState, string> = {
  pending: ":white_circle:",
  waiting: ":hourglass_flowing_sand:",
  in_progress: ":arrows_counterclockwise:",
  completed: ":white_check_mark:",
  failed: ":x:",
  skipped: ":fast_forward:",
};

const STEP_WORD: Record<StepState, string> = {
  pending: "pending",
  waiting: "waiting",
  in_progress: "in progress",
  completed: "completed",
  failed: "failed",
  skipped: "skipped",
};

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function sections(lines: string[], budget: number): KnownBlock[] {
  const texts = packLines(lines, LIMITS.sectionText);
  const kept = texts.slice(0, budget);
  if (texts.length > budget) kept[kept.length - 1] = truncate(`${kept.at(-1)!}\n…and more`, LIMITS.sectionText);
  return kept.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

const header = (text: string): KnownBlock => ({ type: "header", text: { type: "plain_text", text: truncate(text, LIMITS.headerText) } });
const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }] });

/** `requestable`: environments the reader cannot open, each offered a "Request access" button. */
export function renderEnvironmentList(environments: EnvironmentSummary[], options: { requestable?: readonly string[] } = {}): SlackMessage {
  if (!environments.length) return { text: "No environments yet.", blocks: [context("No environments yet. Declare them in an inventory file: `npm run inventory -- apply inventory.yml`.")] };
  const lines = environments.map((environment) => {
    const lock = environment.lockedBy ? ` · :lock: ${escapeMrkdwn(environment.lockedBy)}` : "";
    const last = environment.lastRun ? ` · last ${environment.lastRun.action}: ${environment.lastRun.status} ${slackDate(environment.lastRun.at)}` : "";
    const description = environment.description ? `\n      ${escapeMrkdwn(environment.description)}` : "";
    return `*${escapeMrkdwn(environment.name)}*  ${environment.running}/${environment.total} running${lock}${last}${description}`;
  });
  return {
    text: `${environments.length} environments`,
    blocks: [
      header("Environments"),
      ...sections(lines, 42),
      context("`/vm env show <env>` · `/vm env plan <env> start|stop` · `/vm env start|stop <env>` · `/vm env request <env> <level> <why>`"),
      ...requestAccessBlocks(options.requestable ?? []),
    ],
  };
}

/** VMs of a group as a tree: those depending on nothing in the group at the top, each dependent indented under what it needs. */
function vmTree(vms: EnvironmentView["groups"][number]["vms"]): string[] {
  const lines: string[] = [];
  const names = new Set(vms.map((vm) => vm.name));
  const shown = new Set<string>();
  const line = (vm: (typeof vms)[number], depth: number) => {
    const readiness = vm.readiness ? ` · ready when ${escapeMrkdwn(vm.readiness)}` : "";
    const also = vm.dependsOn.length > 1 ? ` (also needs ${vm.dependsOn.slice(1).map(escapeMrkdwn).join(", ")})` : "";
    lines.push(`${"      ".repeat(depth)}${depth ? "└ " : ""}${STATUS_ICON[vm.status] ?? ""} \`${escapeMrkdwn(vm.name)}\` ${vm.status}${readiness}${also}`);
  };
  const visit = (vm: (typeof vms)[number], depth: number) => {
    if (shown.has(vm.name)) return;
    shown.add(vm.name);
    line(vm, depth);
    for (const child of vms.filter((candidate) => candidate.dependsOn[0] === vm.name)) visit(child, depth + 1);
  };
  for (const vm of vms.filter((candidate) => !candidate.dependsOn.some((name) => names.has(name)))) visit(vm, 0);
  for (const vm of vms) visit(vm, 0);
  return lines;
}

/** `requestable`: the reader cannot open it yet, so it offers "Request access". */
export function renderEnvironmentDetail(environment: EnvironmentView, options: { requestable?: boolean } = {}): SlackMessage {
  const blocks: KnownBlock[] = [header(`Environment ${environment.name}`)];
  if (environment.description) blocks.push(context(escapeMrkdwn(environment.description)));
  const lines: string[] = [];
  for (const [index, group] of environment.groups.entries()) {
    const after = group.dependsOn.length ? ` · after ${group.dependsOn.map(escapeMrkdwn).join(", ")}` : "";
    const settle = group.settleSeconds ? ` · settles ${formatDuration(group.settleSeconds)}` : "";
    lines.push(`*${index + 1}. ${escapeMrkdwn(group.name)}*${after}${settle}`);
    lines.push(...(group.vms.length ? vmTree(group.vms) : ["_no VMs_"]));
  }
  blocks.push(...sections(lines, 40));
  const vms = environment.groups.flatMap((group) => group.vms);
  blocks.push(context(`${vms.filter((vm) => vm.status === "running").length}/${vms.length} running · \`/vm env plan ${environment.name} start\``));
  if (options.requestable) blocks.push({ type: "actions", block_id: "request_access", elements: [requestAccessButton(environment.name)] });
  return { text: `Environment ${environment.name}`, blocks };
}

function planLines(plan: EnvironmentPlan): string[] {
  return plan.steps.map((step) => {
    const waits = [...step.waitsForGroups.map((name) => `group ${escapeMrkdwn(name)}`), ...step.waitsForVms.map((name) => `\`${escapeMrkdwn(name)}\``)];
    const what = step.noop ? `already ${plan.action === "start" ? "running" : "stopped"}: verify only` : `~${formatDuration(step.estimateSeconds)}${step.estimateFromHistory ? "" : " (default)"}`;
    const extra = [step.readiness ? "readiness check" : "", step.settleSeconds ? `settle ${formatDuration(step.settleSeconds)}` : ""].filter(Boolean).join(", ");
    return `${step.critical ? ":small_orange_diamond:" : "•"} \`${escapeMrkdwn(step.name)}\` (${escapeMrkdwn(step.group)}) after ${waits.length ? waits.join(", ") : "nothing"} · ${what}${extra ? ` · ${extra}` : ""}`;
  });
}

function planSummary(plan: EnvironmentPlan): string {
  return `Critical path: ${plan.criticalPath.map((name) => `\`${escapeMrkdwn(name)}\``).join(" → ") || "none"} (${formatDuration(plan.criticalPathSeconds)}). Estimated ${formatDuration(plan.estimatedSeconds)} with at most ${plan.concurrency} VMs at once.`;
}

export function renderEnvironmentPlan(plan: EnvironmentPlan): SlackMessage {
  const title = `Plan: ${plan.action} ${plan.environment}`;
  return {
    text: title,
    blocks: [
      header(title),
      ...sections(planLines(plan), 40),
      { type: "section", text: { type: "mrkdwn", text: truncate(planSummary(plan), LIMITS.sectionText) } },
      context(":small_orange_diamond: on the critical path · estimates from past runs of the same VMs, else a default"),
    ],
  };
}

/** The plan with a button that runs it (Slack asks once more in a confirm dialog). */
export function renderEnvironmentConfirm(plan: EnvironmentPlan): SlackMessage {
  const verb = plan.action === "start" ? "Start" : "Stop";
  const work = plan.steps.filter((step) => !step.noop).length;
  const message = renderEnvironmentPlan(plan);
  return {
    text: `${verb} ${plan.environment}?`,
    blocks: [
      ...message.blocks.slice(0, -1),
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTION.envRun,
            style: plan.action === "start" ? "primary" : "danger",
            text: { type: "plain_text", text: truncate(`${verb} ${plan.environment}`, LIMITS.buttonText) },
            value: JSON.stringify({ action: plan.action, environment: plan.environment }),
            confirm: {
              title: { type: "plain_text", text: truncate(`${verb} ${plan.environment}?`, LIMITS.confirmTitle) },
              text: { type: "mrkdwn", text: truncate(`${verb} ${work} of ${plan.steps.length} VMs in dependency order (about ${formatDuration(plan.estimatedSeconds)}).`, LIMITS.confirmText) },
              confirm: { type: "plain_text", text: verb },
              deny: { type: "plain_text", text: "Cancel" },
              ...(plan.action === "stop" ? { style: "danger" as const } : {}),
            },
          },
        ],
      },
    ],
  };
}

function stepLine(step: StepProgress): string {
  const detail = step.state === "waiting" || step.state === "in_progress" ? step.waitingFor : step.message;
  return `${STEP_ICON[step.state]} \`${escapeMrkdwn(step.name)}\` ${STEP_WORD[step.state]}${detail ? `: ${escapeMrkdwn(detail)}` : ""}`;
}

export function progressHeadline(progress: EnvironmentProgress): string {
  const { counts } = progress;
  const total = progress.steps.length;
  const verb: Record<EnvironmentAction, [string, string]> = { start: ["Starting", "Started"], stop: ["Stopping", "Stopped"] };
  const [going, done] = verb[progress.action];
  if (progress.status === "running" || progress.status === "pending") return `${going} ${progress.environment}: ${counts.completed}/${total} done`;
  if (progress.status === "succeeded") return `${done} ${progress.environment}: ${total}/${total} done`;
  return `${going} ${progress.environment} ${progress.status === "failed" ? "failed" : "partly failed"}: ${counts.completed}/${total} done, ${counts.failed} failed, ${counts.skipped} skipped`;
}

export function renderEnvironmentProgress(progress: EnvironmentProgress, requestedBy: string): SlackMessage {
  const headline = progressHeadline(progress);
  const failures = progress.steps.filter((step) => step.state === "failed");
  const current = progress.steps.filter((step) => step.state === "in_progress" || step.state === "waiting");
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: truncate(`*${escapeMrkdwn(headline)}*`, LIMITS.sectionText) } }];
  if (failures.length) blocks.push(...sections(failures.map(stepLine), 5));
  const now = current.find((step) => step.state === "in_progress" && step.waitingFor) ?? current[0];
  if (now && progress.status === "running") blocks.push(context(`Now: ${stepLine(now)}`));
  // Groups in order, each with its steps: the phases as they complete.
  const groups = [...new Set(progress.steps.map((step) => step.group))];
  const lines = groups.map((group) => {
    const steps = progress.steps.filter((step) => step.group === group);
    const done = steps.every((step) => step.state === "completed");
    return `*${escapeMrkdwn(group)}*${done ? " :white_check_mark:" : ""}\n${steps.filter((step) => step.state !== "failed").map(stepLine).join("\n")}`;
  });
  blocks.push(...sections(lines, 30));
  const finished = progress.status !== "running" && progress.status !== "pending";
  if (!finished && (progress.counts.pending || progress.counts.waiting)) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.envCancel,
          text: { type: "plain_text", text: "Cancel" },
          value: String(progress.operationId),
          confirm: {
            title: { type: "plain_text", text: "Cancel the rest?" },
            text: { type: "mrkdwn", text: "VMs not begun yet are skipped; those the cloud is already working on finish. Retry failed runs the rest later." },
            confirm: { type: "plain_text", text: "Cancel the rest" },
            deny: { type: "plain_text", text: "Keep going" },
          },
        },
      ],
    });
  }
  if (finished && (progress.counts.failed || progress.counts.skipped)) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.envRetry,
          text: { type: "plain_text", text: "Retry failed" },
          value: String(progress.operationId),
        },
      ],
    });
  }
  blocks.push(context(`Requested by <@${requestedBy}> · run #${progress.operationId}`));
  return { text: headline, blocks };
}
