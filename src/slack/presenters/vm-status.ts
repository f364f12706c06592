import type { RequestContext } from "../../services/actor.js";
import { can, PLATFORM } from "../../services/policy.js";
import { mayActOn } from "./vm-list.js";
import type { SlackDeps } from "../deps.js";
import { renderVmStatus } from "../views/vm-status.js";
import type { SlackMessage } from "../views/vm-list.js";
import type { OperationProgress } from "../../services/operation-service.js";

export async function presentVmStatus(
  deps: SlackDeps,
  ctx: RequestContext,
  vm: { name: string } | { id: number },
  /** `operation`: the progress of the operation shown on the card, read for this user (`getProgressFor`). */
  options: { audited: boolean; operation?: OperationProgress; sharedBy?: string },
): Promise<SlackMessage> {
  const detail = await deps.services.vms.getVmDetail(ctx, vm, { audited: options.audited });
  return renderVmStatus({
    vm: detail,
    canAct: mayActOn(ctx.actor, detail),
    canRemove: can(ctx.actor, "vm_delete", PLATFORM),
    operation: options.operation,
    sharedBy: options.sharedBy,
  });
}
