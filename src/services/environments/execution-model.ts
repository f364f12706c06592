// An environment run as stored: the plan fixed at request time (OperationExecution.plan) and one row
// per VM step (OperationVm), read back as progress in the vocabulary.
import { z } from "zod";
import type { Db } from "../prisma-types.js";
import { readinessCheckSchema } from "./model.js";
import type { EnvironmentAction } from "./plan.js";

export const storedPlanSchema = z.object({
  action: z.enum(["start", "stop"]),
  concurrency: z.number().int().min(1),
  steps: z.array(
    z.object({
      vmId: z.number().int(),
      name: z.string(),
      group: z.string(),
      after: z.array(z.string()),
      noop: z.boolean(),
      readiness: readinessCheckSchema.optional(),
      settleSeconds: z.number().int().min(0),
      /** Longest remaining chain from this step (seconds): ready steps with more go first. */
      priority: z.number(),
    }),
  ),
});
export type StoredPlan = z.infer<typeof storedPlanSchema>;
export type StoredStep = StoredPlan["steps"][number];

export const ENVIRONMENT_KINDS = { start: "environment_start", stop: "environment_stop" } as const satisfies Record<EnvironmentAction, string>;

/** The step states users see; stored as pending (+ waitingFor), running, succeeded/noop, failed, skipped. */
export type StepState = "pending" | "waiting" | "in_progress" | "completed" | "failed" | "skipped";

export interface StepProgress {
  vmId: number;
  name: string;
  group: string;
  state: StepState;
  /** Nothing was asked of the cloud: the VM was already there. */
  noop: boolean;
  /** The provider's words for a failure, "because X failed" for a skip, "already running" ... */
  message: string | null;
  /** What a waiting or in-progress step waits for. */
  waitingFor: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  readyAt: Date | null;
  providerCalledAt: Date | null;
}

export interface EnvironmentProgress {
  operationId: number;
  environmentId: number | null;
  environment: string;
  action: EnvironmentAction;
  status: "pending" | "running" | "succeeded" | "failed" | "partial";
  requestedById: number | null;
  steps: StepProgress[];
  counts: Record<StepState, number>;
  createdAt: Date;
  finishedAt: Date | null;
}

export function stepStateOf(row: { status: string; waitingFor: string | null }): StepState {
  switch (row.status) {
    case "pending":
      return row.waitingFor ? "waiting" : "pending";
    case "running":
      return "in_progress";
    case "succeeded":
    case "noop":
      return "completed";
    case "skipped":
      return "skipped";
    default:
      return "failed";
  }
}

export async function loadEnvironmentProgress(db: Db, operationId: number): Promise<EnvironmentProgress> {
  const operation = await db.operationExecution.findUniqueOrThrow({
    where: { id: operationId },
    include: { environment: { select: { name: true } }, vms: { include: { vm: { select: { name: true } } } } },
  });
  const plan = storedPlanSchema.parse(operation.plan);
  const rows = new Map(operation.vms.map((row) => [row.vmId, row]));
  const steps = plan.steps.map((step): StepProgress => {
    const row = rows.get(step.vmId)!;
    return {
      vmId: step.vmId,
      name: step.name,
      group: step.group,
      state: stepStateOf(row),
      noop: row.status === "noop",
      message: row.message,
      waitingFor: row.waitingFor,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      readyAt: row.readyAt,
      providerCalledAt: row.providerCalledAt,
    };
  });
  const counts = { pending: 0, waiting: 0, in_progress: 0, completed: 0, failed: 0, skipped: 0 } satisfies Record<StepState, number>;
  for (const step of steps) counts[step.state]++;
  return {
    operationId,
    environmentId: operation.environmentId,
    environment: operation.environment?.name ?? "(removed)",
    action: plan.action,
    status: operation.status,
    requestedById: operation.requestedById,
    steps,
    counts,
    createdAt: operation.createdAt,
    finishedAt: operation.finishedAt,
  };
}
