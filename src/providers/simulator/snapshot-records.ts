// Reading SimulatedSnapshot rows, settled lazily like instances: creating -> available (or error),
// restoring -> available (or error, when the restore failed), deleting -> gone.
import type { SimulatedSnapshot } from "../../generated/sqlite/client.js";
import { CloudProviderError, type CloudSnapshot, type CloudSnapshotState } from "../cloud-provider.js";
import { machineOf, updateStoredDetails } from "./instance-records.js";
import { planFailure, type SimulatorContext } from "./simulator-context.js";
import { readStoredDetails } from "./stored-details.js";

export type SnapshotRow = SimulatedSnapshot;

const SNAPSHOT_STATES = new Set<string>(["creating", "available", "restoring", "deleting", "error"]);

export function snapshotNotFound(context: SimulatorContext, snapshotId: string): CloudProviderError {
  return new CloudProviderError(context.kind, "NotFound", context.flavour.snapshotNotFoundMessage(snapshotId));
}

export async function loadSnapshot(context: SimulatorContext, snapshotId: string): Promise<SnapshotRow> {
  const row = await context.prisma.simulatedSnapshot.findFirst({ where: { snapshotId, instance: { provider: context.kind } } });
  const settled = row && (await settleSnapshot(context, row));
  if (!settled) throw snapshotNotFound(context, snapshotId);
  return settled;
}

export async function loadSnapshotsOf(context: SimulatorContext, resourceId: string): Promise<SnapshotRow[]> {
  const rows = await context.prisma.simulatedSnapshot.findMany({
    where: { resourceId, instance: { provider: context.kind } },
    orderBy: [{ createdAt: "asc" }, { snapshotId: "asc" }],
  });
  const settled = await Promise.all(rows.map((row) => settleSnapshot(context, row)));
  return settled.filter((row): row is SnapshotRow => row !== null);
}

/** The settled row, or null once a deletion has completed. */
export async function settleSnapshot(context: SimulatorContext, row: SnapshotRow): Promise<SnapshotRow | null> {
  if (!row.transitionEndsAt || row.transitionEndsAt > context.now()) return row;
  const due = { snapshotId: row.snapshotId, transitionEndsAt: row.transitionEndsAt };
  if (row.state === "deleting") {
    await context.prisma.simulatedSnapshot.deleteMany({ where: due });
    return null;
  }
  // Whether a snapshot fails is decided when it completes: the snapshot table has no column to hold
  // a planned outcome. A restore plans its failure up front on the instance (see restoreSnapshot).
  const failure = row.state === "creating" ? await planSnapshotFailure(context, row) : undefined;
  const failed = failure !== undefined || (row.state === "restoring" && (await restoreFailed(context, row)));
  const settled = { state: failed ? "error" : "available", transitionEndsAt: null };
  const { count } = await context.prisma.simulatedSnapshot.updateMany({ where: due, data: settled });
  if (count === 0) return context.prisma.simulatedSnapshot.findUnique({ where: { snapshotId: row.snapshotId } });
  const remainingFaults = failure?.remainingFaults;
  if (remainingFaults) await updateStoredDetails(context, row.resourceId, (stored) => ({ ...stored, faults: remainingFaults }));
  return { ...row, ...settled };
}

/** The instance cannot change while its disks are restored, so an `error` there is this restore's. */
async function restoreFailed(context: SimulatorContext, row: SnapshotRow): Promise<boolean> {
  const instance = await context.prisma.simulatedInstance.findUnique({ where: { resourceId: row.resourceId } });
  return instance?.state === "error" || instance?.targetState === "error";
}

async function planSnapshotFailure(context: SimulatorContext, row: SnapshotRow) {
  const instance = await context.prisma.simulatedInstance.findUnique({ where: { resourceId: row.resourceId } });
  if (!instance) return undefined;
  return planFailure(context, "snapshot", machineOf(instance), readStoredDetails(instance.details).faults);
}

export function toCloudSnapshot(row: SnapshotRow): CloudSnapshot {
  return {
    snapshotId: row.snapshotId,
    resourceId: row.resourceId,
    name: row.name,
    state: (SNAPSHOT_STATES.has(row.state) ? row.state : "error") as CloudSnapshotState,
    sizeGb: row.sizeGb,
    createdAt: row.createdAt,
  };
}
