import { randomSlug, slugify } from "../random-ids.js";
import type { SimulatedState } from "../simulated-state.js";
import type { ProviderFlavour } from "./flavour.js";

const PROJECT = "vmbot-demo";

const STATE_WORDS: Record<SimulatedState, string> = {
  pending: "STAGING",
  running: "RUNNING",
  stopping: "STOPPING",
  stopped: "TERMINATED",
  rebooting: "REPAIRING",
  error: "SUSPENDED",
};

/** GCP instances live in zones; a bare region gets its "-b" zone. */
export function gcpZone(region: string): string {
  return /-[a-z]$/.test(region) ? region : `${region}-b`;
}

const instanceName = (resourceId: string) => resourceId.split("/").pop() ?? resourceId;

export const gcpFlavour: ProviderFlavour = {
  kind: "gcp",
  instanceId: (name, region) => `projects/${PROJECT}/zones/${gcpZone(region)}/instances/${name}`,
  snapshotId: (name, _region, random) => `projects/${PROJECT}/global/snapshots/${slugify(name)}-${randomSlug(random, 6)}`,
  stateWord: (state) => STATE_WORDS[state],
  consoleUrl: ({ name, region }) =>
    `https://console.cloud.google.com/compute/instancesDetail/zones/${gcpZone(region)}/instances/${name}?project=${PROJECT}`,
  failureMessage(operation, { resourceId, region }) {
    switch (operation) {
      case "start":
        return `ZONE_RESOURCE_POOL_EXHAUSTED: The zone 'projects/${PROJECT}/zones/${gcpZone(region)}' does not have enough resources available to fulfill the request. Try a different zone, or try again later.`;
      case "stop":
        return `INTERNAL_ERROR: Internal error while stopping '${instanceName(resourceId)}'. Please try again or contact Google Support.`;
      case "reboot":
        return `INTERNAL_ERROR: The reset of '${instanceName(resourceId)}' did not complete. Please try again or contact Google Support.`;
      case "snapshot":
        return `RESOURCE_OPERATION_RATE_EXCEEDED: Operation rate exceeded for resource 'disks/${instanceName(resourceId)}'. Too frequent operations from the source resource.`;
      case "restore":
        return `INTERNAL_ERROR: Attaching the disk restored from snapshot to '${instanceName(resourceId)}' failed.`;
    }
  },
  incorrectStateMessage: (operation, { resourceId }, state) =>
    `resourceNotReady: The resource '${resourceId}' is not ready (status ${STATE_WORDS[state]}); cannot ${operation} it now.`,
  throttleMessage: () => "rateLimitExceeded: Rate Limit Exceeded",
  snapshotNotFoundMessage: (snapshotId) => `notFound: The resource '${snapshotId}' was not found`,
};
