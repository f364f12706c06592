// Gathers what a VM's snapshot list shows: the VM, its snapshots, and the reader's role.
import type { RequestContext } from "../../services/actor.js";
import { permissionsOf } from "../../services/policy.js";
import type { SlackDeps } from "../deps.js";
import { renderSnapshotList, type SnapshotListView } from "../views/snapshots.js";
import type { SlackMessage } from "../views/vm-list.js";

/**
 * `audited`: an explicit look (command, Snapshots button, paging, refresh) is a `view`; the re-render
 * after a create, delete or restore step shows the outcome of an action already audited.
 */
export async function loadSnapshotList(
  deps: SlackDeps,
  ctx: RequestContext,
  vm: { id: number } | { name: string },
  options: { audited: boolean },
): Promise<Pick<SnapshotListView, "vm" | "snapshots" | "permissions">> {
  const detail = await deps.services.vms.getVmDetail(ctx, vm, { audited: false });
  const snapshots = await deps.services.snapshots.listSnapshots(ctx, detail.name, { audited: options.audited });
  return { vm: { id: detail.id, name: detail.name, status: detail.status }, snapshots, permissions: permissionsOf(ctx.actor, { environmentId: detail.environmentId }) };
}

export async function presentSnapshotList(
  deps: SlackDeps,
  ctx: RequestContext,
  vm: { id: number } | { name: string },
  options: { audited: boolean; offset?: number; notice?: string },
): Promise<SlackMessage> {
  const list = await loadSnapshotList(deps, ctx, vm, options);
  return renderSnapshotList({ ...list, offset: options.offset, notice: options.notice });
}
