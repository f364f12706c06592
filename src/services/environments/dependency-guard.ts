// Single-VM actions inside an environment respect its dependencies: a VM does not start while what it
// needs is down, and does not stop while running VMs need it. A VM whose dependency is in the same
// batch passes (the batch acts on both). Read in the caller's transaction, after its claims.
import { serializeEnvironments } from "./environment-row-lock.js";
import type { Db } from "../prisma-types.js";
import type { VmAction } from "../vm-actions.js";
import { loadPlanInput } from "./plan-input.js";
import { reversed, startEdges } from "./plan.js";

/** A dependent in one of these keeps what it needs from stopping. */
const UP = new Set(["running", "starting", "rebooting"]);
/** Work in flight that brings a VM up, or takes it down: a claim counts as its outcome. */
const COMING_UP = new Set(["vm_start", "reboot", "environment_start"]);
const GOING_DOWN = new Set(["vm_stop", "environment_stop"]);

/** The refusal message for each VM of the batch that its environment's dependencies block, by VM id. */
export async function dependencyRefusals(db: Db, action: VmAction, vms: readonly { id: number; name: string; groupId: number | null }[]): Promise<Map<number, string>> {
  const refusals = new Map<number, string>();
  if (action === "reboot") return refusals;
  const groupIds = [...new Set(vms.flatMap((vm) => (vm.groupId === null ? [] : [vm.groupId])))];
  if (!groupIds.length) return refusals;
  const groups = await db.vmGroup.findMany({ where: { id: { in: groupIds } }, select: { environment: { select: { id: true, name: true } } } });
  const environments = [...new Map(groups.map((group) => [group.environment.id, group.environment.name])).entries()].sort(([a], [b]) => a - b);
  // One claim transaction per environment at a time (a row lock, taken in id order): a start of `api`
  // and a stop of `db` that run together then see each other's claim, instead of both passing.
  await serializeEnvironments(db, environments.map(([id]) => id));
  const inBatch = new Set(vms.map((vm) => vm.name));
  for (const [, environment] of environments) {
    const input = await loadPlanInput(db, environment);
    if (!input) continue;
    const claims = new Map(
      (await db.vm.findMany({ where: { group: { environment: { name: environment } } }, select: { name: true, claimAction: true } })).map((vm) => [vm.name, vm.claimAction]),
    );
    // What each VM is, or is about to be once the work claimed on it lands.
    const status = new Map(
      input.groups.flatMap((group) =>
        group.vms.map((vm) => {
          const claim = claims.get(vm.name) ?? "";
          const becoming = COMING_UP.has(claim) ? "starting" : GOING_DOWN.has(claim) ? "stopping" : vm.status;
          return [vm.name, inBatch.has(vm.name) ? vm.status : becoming] as const;
        }),
      ),
    );
    const needs = startEdges(input);
    const neededBy = reversed(needs);
    for (const vm of vms) {
      if (!status.has(vm.name)) continue;
      if (action === "start") {
        const blocker = [...(needs.get(vm.name) ?? [])].find((name) => status.get(name) !== "running" && !inBatch.has(name));
        if (blocker) refusals.set(vm.id, `${vm.name} depends on ${blocker} (${status.get(blocker)}): start the environment, or start ${blocker} first`);
      } else {
        const blocker = [...(neededBy.get(vm.name) ?? [])].find((name) => UP.has(status.get(name) ?? "") && !inBatch.has(name));
        if (blocker) refusals.set(vm.id, `${vm.name} is needed by ${blocker} (${status.get(blocker)}): stop the environment, or stop ${blocker} first`);
      }
    }
  }
  return refusals;
}
