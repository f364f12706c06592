// Gathers what the VM list message shows for a given state: the page, the selection's names,
// the operation in progress, and whether the reader may act.
import type { RequestContext } from "../../services/actor.js";
import { encodeCursor } from "../../services/pagination.js";
import type { Actor } from "../../services/actor.js";
import { can, environmentsWhere, PLATFORM } from "../../services/policy.js";
import type { VmSummary } from "../../services/vm-service.js";
import { parseVmQuery } from "../../services/vm-query.js";
import type { SlackDeps } from "../deps.js";
import { renderVmList, type SlackMessage } from "../views/vm-list.js";
import type { VmListState } from "../views/vm-list-state.js";
import { getProgressFor } from "../../services/operation-service.js";

export const VM_PAGE_SIZE = 10;

const POWER = ["vm_start", "vm_stop", "reboot"] as const;

/** Whether the reader may start, stop or reboot this VM (in its environment; none: the platform). */
export function mayActOn(actor: Actor, vm: Pick<VmSummary, "environmentId">): boolean {
  const scope = vm.environmentId === null ? PLATFORM : { environmentId: vm.environmentId };
  return POWER.some((permission) => can(actor, permission, scope));
}

/** Whether the reader may act on any VM at all: the list then offers the picker and the bulk bar. */
function mayActAnywhere(actor: Actor): boolean {
  return POWER.some((permission) => {
    const environments = environmentsWhere(actor, permission);
    return can(actor, permission, PLATFORM) || environments === "all" || environments.length > 0;
  });
}

/**
 * `audited`: an explicit look at the inventory (command, paging, refresh) is a `view`; a re-render
 * after ticking a checkbox or while progress comes in is not. `sharedBy`: a copy without controls.
 */
export async function presentVmList(
  deps: SlackDeps,
  ctx: RequestContext,
  state: VmListState,
  options: { audited: boolean; notice?: string; sharedBy?: string },
): Promise<SlackMessage> {
  const { vms } = deps.services;
  const filters = parseVmQuery(state.q);
  // The page position is kept as VM ids; pages continue from names. A VM gone meanwhile: page one.
  const anchors = await vms.getVmNamesByIds(ctx, [state.after, state.before].filter((id): id is number => id !== undefined));
  const nameOf = (id: number | undefined) => anchors.find((vm) => vm.id === id)?.name;
  const after = nameOf(state.after);
  const before = nameOf(state.before);
  const pageOptions = {
    limit: VM_PAGE_SIZE,
    ...(before !== undefined ? { before } : after !== undefined ? { cursor: encodeCursor({ name: after }) } : {}),
  };
  // Independent reads side by side: on PostgreSQL they overlap; the selection needs only names.
  const [[page, total], selected] = await Promise.all([
    options.audited
      ? vms.listVms(ctx, filters, pageOptions).then((listed) => [listed, listed.total] as const)
      : Promise.all([vms.fetchPage(ctx, filters, pageOptions), vms.countVms(ctx, filters)]),
    vms.getVmNamesByIds(ctx, state.sel),
  ]);
  return renderVmList({
    page,
    total,
    state: { ...state, sel: selected.map((vm) => vm.id) },
    selected,
    canAct: mayActAnywhere(ctx.actor),
    actionable: page.items.filter((vm) => mayActOn(ctx.actor, vm)).map((vm) => vm.id),
    operation: state.op ? await getProgressFor(deps.services, ctx, state.op) : undefined,
    notice: options.notice,
    sharedBy: options.sharedBy,
  });
}
