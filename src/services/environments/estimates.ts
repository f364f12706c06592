// How long a VM took to start or stop in its past runs, from the state history: the time from
// "starting" to "running" (or "stopping" to "stopped"), averaged over the last few runs.
import type { Db } from "../prisma-types.js";
import type { EnvironmentAction } from "./plan.js";

const RUNS_CONSIDERED = 5;
const PHASES: Record<EnvironmentAction, { transitional: "starting" | "stopping"; target: "running" | "stopped" }> = {
  start: { transitional: "starting", target: "running" },
  stop: { transitional: "stopping", target: "stopped" },
};

export async function pastStepSeconds(db: Db, vmIds: number[], action: EnvironmentAction): Promise<Map<number, number>> {
  const { transitional, target } = PHASES[action];
  const rows = await db.vmStateHistory.findMany({
    where: { vmId: { in: vmIds }, toStatus: { in: [transitional, target] } },
    orderBy: [{ vmId: "asc" }, { at: "asc" }, { id: "asc" }],
    select: { vmId: true, toStatus: true, at: true },
  });
  const durations = new Map<number, number[]>();
  let began: { vmId: number; at: Date } | undefined;
  for (const row of rows) {
    if (row.toStatus === transitional) began = { vmId: row.vmId!, at: row.at };
    else if (began && began.vmId === row.vmId) {
      const list = durations.get(row.vmId) ?? [];
      list.push((row.at.getTime() - began.at.getTime()) / 1000);
      durations.set(row.vmId, list);
      began = undefined;
    }
  }
  const averages = new Map<number, number>();
  for (const [vmId, list] of durations) {
    const recent = list.slice(-RUNS_CONSIDERED);
    averages.set(vmId, Math.round(recent.reduce((sum, value) => sum + value, 0) / recent.length));
  }
  return averages;
}
