// ARM resource ids (`/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Compute/<type>/<name>`):
// the adapter's only handle on a VM or a snapshot, so an id alone says which subscription to ask.
import { CloudProviderError } from "../cloud-provider.js";

export type ComputeResourceType = "virtualMachines" | "snapshots" | "disks";

export interface ArmResourceId {
  subscriptionId: string;
  resourceGroup: string;
  type: ComputeResourceType;
  name: string;
}

const ARM_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/(virtualMachines|snapshots|disks)\/([^/]+)$/i;

export function parseArmId(resourceId: string, expected: ComputeResourceType): ArmResourceId {
  const [, subscriptionId, resourceGroup, type, name] = ARM_ID.exec(resourceId) ?? [];
  if (!subscriptionId || !resourceGroup || !name || type?.toLowerCase() !== expected.toLowerCase()) {
    throw new CloudProviderError("azure", "InvalidResourceId", `${resourceId} is not an Azure ${expected} resource id`);
  }
  return { subscriptionId, resourceGroup, type: expected, name };
}

export function formatArmId({ subscriptionId, resourceGroup, type, name }: ArmResourceId): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/${type}/${name}`;
}

/** ARM ids are case-insensitive; the portal and the API disagree on casing, so compare without it. */
export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
