// A week of plausible audit history: people logging in, looking, starting and stopping machines,
// taking and restoring snapshots, a few refusals and provider failures, and the office-hours schedule.
// Generated from a seeded random relative to `now`, so the same inputs always give the same rows.
import type { PrismaClient } from "../db/database.js";
import { flavourOf } from "../providers/simulator/flavours/index.js";
import type { RandomSource } from "../providers/simulator/random-ids.js";
import type { FaultOperation } from "../providers/simulator/simulated-state.js";
import { DEMO_SNAPSHOTS } from "./demo-snapshots.js";
import { DEMO_USERS, type DemoRole } from "./demo-users.js";
import type { SeedCounts } from "./seed-counts.js";
import type { SeededVm } from "./seed-vms.js";

export type AuditAction =
  | "login"
  | "logout"
  | "view"
  | "vm_start"
  | "vm_stop"
  | "reboot"
  | "delete"
  | "snapshot_created"
  | "snapshot_deleted"
  | "snapshot_restored";

export interface AuditRow {
  at: Date;
  userId: number | null;
  vmId: number | null;
  vmName: string | null;
  environmentId: number | null;
  action: AuditAction;
  outcome: "succeeded" | "failed" | "denied";
  source: "slack_command" | "slack_button" | "slack_modal" | "slack_home" | "schedule";
  details: { [key: string]: string };
}

export interface AuditHistoryInput {
  now: Date;
  random: RandomSource;
  /** Database ids by Slack user id. */
  userIds: Map<string, number>;
  vms: Map<string, SeededVm>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type VmAction = Exclude<AuditAction, "login" | "logout" | "delete">;

/** How often each role does what in a session, in relative weights. */
const HABITS: Record<DemoRole, [VmAction, number][]> = {
  viewer: [["view", 85], ["vm_start", 8], ["vm_stop", 7]],
  operator: [["view", 40], ["vm_start", 18], ["vm_stop", 18], ["reboot", 8], ["snapshot_created", 10], ["snapshot_deleted", 3], ["snapshot_restored", 3]],
  admin: [["view", 35], ["vm_start", 15], ["vm_stop", 15], ["reboot", 10], ["snapshot_created", 10], ["snapshot_restored", 8], ["snapshot_deleted", 7]],
};

const PROVIDER_OPERATION: Partial<Record<VmAction, FaultOperation>> = {
  vm_start: "start",
  vm_stop: "stop",
  reboot: "reboot",
  snapshot_created: "snapshot",
  snapshot_restored: "restore",
};

interface Dice {
  random: RandomSource;
  pick<T>(items: readonly T[]): T;
  weighted<T>(choices: readonly [T, number][]): T;
}

function diceOf(random: RandomSource): Dice {
  return {
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    weighted(choices) {
      let roll = random() * choices.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [choice, weight] of choices) if ((roll -= weight) < 0) return choice;
      return choices[choices.length - 1]![0];
    },
  };
}

const vmRef = (vm: SeededVm) => ({ vmId: vm.id, vmName: vm.name, environmentId: vm.environmentId });
const NO_VM = { vmId: null, vmName: null, environmentId: null };
const machineOf = (vm: SeededVm) => ({ resourceId: vm.resourceId, name: vm.name, region: vm.region });

export function buildAuditHistory({ now, random, userIds, vms }: AuditHistoryInput): AuditRow[] {
  const dice = diceOf(random);
  const rows: AuditRow[] = [];
  const days = [6, 5, 4, 3, 2, 1, 0].map((daysAgo) => {
    const day = new Date(now.getTime() - daysAgo * DAY);
    return { midnight: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()), weekend: day.getUTCDay() === 0 || day.getUTCDay() === 6 };
  });
  // stg-worker-1 failed to start on the last two scheduled mornings: that is why it shows `error`.
  const failingMornings = days.filter((day) => !day.weekend).slice(-2).map((day) => day.midnight);
  for (const { midnight, weekend } of days) {
    if (!weekend) rows.push(...officeHoursRows(midnight, failingMornings.includes(midnight), vms));
    for (const user of DEMO_USERS) {
      const sessions = weekend ? (random() < 0.25 ? 1 : 0) : 1 + (random() < 0.5 ? 1 : 0);
      for (let session = 0; session < sessions; session++) {
        const loginAt = midnight + (8 + session * 5 + random() * 4) * HOUR;
        rows.push(...sessionRows(dice, loginAt, userIds.get(user.slackUserId)!, user.role, vms));
      }
    }
  }
  rows.push(...storyRows(now, userIds, vms));
  return rows.filter((row) => row.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Staging runs in office hours on weekdays, started and stopped by the schedule. */
function officeHoursRows(midnight: number, workerFails: boolean, vms: Map<string, SeededVm>): AuditRow[] {
  const schedule = { schedule: "staging-office-hours" };
  const startAt = new Date(midnight + 7 * HOUR);
  const stopAt = new Date(midnight + 20 * HOUR);
  return [...vms.values()]
    .filter((vm) => vm.name.startsWith("stg-"))
    .flatMap((vm): AuditRow[] => {
      if (vm.name === "stg-worker-1" && workerFails) {
        // A machine in error is left alone by the evening stop.
        const error = flavourOf(vm.provider).failureMessage("start", machineOf(vm));
        return [{ at: startAt, userId: null, ...vmRef(vm), action: "vm_start", outcome: "failed", source: "schedule", details: { ...schedule, error } }];
      }
      return [
        { at: startAt, userId: null, ...vmRef(vm), action: "vm_start", outcome: "succeeded", source: "schedule", details: schedule },
        { at: stopAt, userId: null, ...vmRef(vm), action: "vm_stop", outcome: "succeeded", source: "schedule", details: schedule },
      ];
    });
}

function sessionRows(dice: Dice, loginAt: number, userId: number, role: DemoRole, vms: Map<string, SeededVm>): AuditRow[] {
  let at = loginAt;
  const rows: AuditRow[] = [{ at: new Date(at), userId, ...NO_VM, action: "login", outcome: "succeeded", source: "slack_command", details: { command: "/vm login" } }];
  const actions = 3 + Math.floor(dice.random() * 6);
  for (let i = 0; i < actions; i++) {
    at += (1 + dice.random() * 14) * MINUTE;
    rows.push(vmActionRow(dice, new Date(at), userId, role, dice.weighted(HABITS[role]), vms));
  }
  // Most people log out; the rest let the session expire.
  if (dice.random() < 0.7) {
    at += (1 + dice.random() * 20) * MINUTE;
    rows.push({ at: new Date(at), userId, ...NO_VM, action: "logout", outcome: "succeeded", source: "slack_command", details: { command: "/vm logout" } });
  }
  return rows;
}

function vmActionRow(dice: Dice, at: Date, userId: number, role: DemoRole, action: VmAction, vms: Map<string, SeededVm>): AuditRow {
  const onExistingSnapshot = action === "snapshot_restored" || action === "snapshot_deleted";
  const vm = onExistingSnapshot ? vms.get(dice.pick(DEMO_SNAPSHOTS).vm)! : dice.pick([...vms.values()]);
  const base = { at, userId, ...vmRef(vm), action, source: sourceOf(dice, action) };
  const details: Record<string, string> = {};
  if (action === "snapshot_created") details.snapshot = `manual-${at.toISOString().slice(5, 10)}`;
  if (onExistingSnapshot) details.snapshot = dice.pick(DEMO_SNAPSHOTS.filter((snapshot) => snapshot.vm === vm.name)).name;
  if (action === "view" && base.source === "slack_command") details.command = `/vm status ${vm.name}`;

  if ((role === "viewer" && action !== "view") || (role === "operator" && action === "snapshot_restored")) {
    return { ...base, outcome: "denied", details: { ...details, reason: `The ${role} role may not ${action.replace("_", " ")}` } };
  }
  const operation = PROVIDER_OPERATION[action];
  if (operation && dice.random() < 0.1) {
    return { ...base, outcome: "failed", details: { ...details, error: flavourOf(vm.provider).failureMessage(operation, machineOf(vm)) } };
  }
  return { ...base, outcome: "succeeded", details };
}

function sourceOf(dice: Dice, action: VmAction): AuditRow["source"] {
  if (action === "view") return dice.random() < 0.6 ? "slack_command" : "slack_home";
  if (action === "snapshot_created" || action === "snapshot_restored") return "slack_modal";
  return dice.random() < 0.65 ? "slack_button" : "slack_command";
}

/** Two stories: a VM decommissioned this week (only its name remains), and the GPU box without capacity. */
function storyRows(now: Date, userIds: Map<string, number>, vms: Map<string, SeededVm>): AuditRow[] {
  const rows: AuditRow[] = [
    {
      at: new Date(now.getTime() - 5 * DAY + 2 * HOUR), userId: userIds.get("U0DEMOADMIN")!, ...NO_VM, vmName: "legacy-jenkins-1",
      action: "delete", outcome: "succeeded", source: "slack_modal", details: { reason: "replaced by ci-runner-1 and ci-runner-2" },
    },
  ];
  const gpu = vms.get("ml-train-gpu-1");
  if (gpu) {
    rows.push({
      at: new Date(now.getTime() - 20 * HOUR), userId: userIds.get("U0DEMOOPS2")!, ...vmRef(gpu), action: "vm_start",
      outcome: "failed", source: "slack_button", details: { error: "InternalError: Out of host capacity." },
    });
  }
  return rows;
}

/** Adds the history unless the demo users already have some (their rows are the seed's own). */
export async function seedAuditHistory(prisma: PrismaClient, counts: SeedCounts, input: AuditHistoryInput): Promise<void> {
  const demoUserIds = [...input.userIds.values()];
  if ((await prisma.auditLog.count({ where: { userId: { in: demoUserIds } } })) > 0) return;
  const rows = buildAuditHistory(input);
  for (let start = 0; start < rows.length; start += 200) {
    const { count } = await prisma.auditLog.createMany({ data: rows.slice(start, start + 200) });
    counts.auditLogs += count;
  }
}
