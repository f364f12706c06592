// Reading SimulatedInstance rows: transitions whose time has passed are settled (and saved) on every
// read, so the simulated cloud moves on without timers and picks up where it was after a restart.
import type { Prisma, SimulatedInstance } from "../../generated/sqlite/client.js";
import { InstanceNotFoundError, type CloudInstance } from "../cloud-provider.js";
import type { SimulatedMachine } from "./flavours/index.js";
import type { SimulatorContext } from "./simulator-context.js";
import { isSimulatedState, toInstanceState } from "./simulated-state.js";
import { readStoredDetails, writeStoredDetails, type StoredDetails } from "./stored-details.js";

export type InstanceRow = SimulatedInstance;

/** The row, settled; throws the provider's not-found error for other kinds' machines too. */
export async function loadInstance(context: SimulatorContext, resourceId: string): Promise<InstanceRow> {
  const row = await context.prisma.simulatedInstance.findFirst({ where: { resourceId, provider: context.kind } });
  if (!row) throw new InstanceNotFoundError(context.kind, resourceId);
  return settleInstance(context, row);
}

export async function loadAllInstances(context: SimulatorContext): Promise<InstanceRow[]> {
  const rows = await context.prisma.simulatedInstance.findMany({ where: { provider: context.kind }, orderBy: { name: "asc" } });
  return Promise.all(rows.map((row) => settleInstance(context, row)));
}

export async function settleInstance(context: SimulatorContext, row: InstanceRow): Promise<InstanceRow> {
  if (!row.transitionEndsAt || row.transitionEndsAt > context.now()) return row;
  const state = row.targetState ?? row.state;
  const settled = {
    state,
    targetState: null,
    transitionEndsAt: null,
    // A failing transition carries its message from the start; a successful one clears old errors.
    stateMessage: state === "error" ? row.stateMessage : null,
  };
  // Compare-and-set on the transition end: if another reader (or replica) got there first, use its result.
  const { count } = await context.prisma.simulatedInstance.updateMany({
    where: { resourceId: row.resourceId, transitionEndsAt: row.transitionEndsAt },
    data: settled,
  });
  if (count === 1) return { ...row, ...settled };
  return (await context.prisma.simulatedInstance.findUnique({ where: { resourceId: row.resourceId } })) ?? row;
}

export function machineOf(row: InstanceRow): SimulatedMachine {
  return { resourceId: row.resourceId, name: row.name, region: row.region };
}

export function toCloudInstance(context: SimulatorContext, row: InstanceRow): CloudInstance {
  const { details, tags } = readStoredDetails(row.details);
  const state = toInstanceState(row.state);
  return {
    resourceId: row.resourceId,
    name: row.name,
    region: row.region,
    state,
    providerState: isSimulatedState(row.state) ? context.flavour.stateWord(row.state) : row.state,
    // A transition that will fail already holds its message; it is news only once the state is `error`.
    stateMessage: state === "error" ? (row.stateMessage ?? undefined) : undefined,
    tags,
    details,
  };
}

export function storedDetailsJson(stored: StoredDetails): Prisma.InputJsonObject {
  return writeStoredDetails(stored) as Prisma.InputJsonObject;
}

/** Rewrites the instance's details/tags/faults column; a no-op if the instance is gone. */
export async function updateStoredDetails(
  context: SimulatorContext,
  resourceId: string,
  change: (stored: StoredDetails) => StoredDetails,
): Promise<void> {
  const row = await context.prisma.simulatedInstance.findFirst({ where: { resourceId, provider: context.kind } });
  if (!row) return;
  await context.prisma.simulatedInstance.update({
    where: { resourceId },
    data: { details: storedDetailsJson(change(readStoredDetails(row.details))) },
  });
}
