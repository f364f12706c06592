// Reading an instance: OCI's lifecycle state becomes the bot's InstanceState.
import * as common from "oci-common";
import type { models } from "oci-core";
import type { CloudInstance, InstanceState } from "../cloud-provider.js";

const LIFECYCLE_STATES: Record<string, InstanceState> = {
  RUNNING: "running",
  PROVISIONING: "starting",
  STARTING: "starting",
  STOPPING: "stopping",
  STOPPED: "stopped",
  TERMINATING: "error",
  TERMINATED: "error",
};

export function toCloudInstance(instance: models.Instance): CloudInstance {
  const state = LIFECYCLE_STATES[instance.lifecycleState] ?? "unknown";
  return {
    resourceId: instance.id,
    name: instance.displayName ?? instance.id,
    // OCI answers "iad"/"phx" for its oldest regions and the region id for the others.
    region: common.Region.getRegionIdFromShortCode(instance.region),
    state,
    providerState: instance.lifecycleState,
    stateMessage: state === "error" ? `The instance is ${instance.lifecycleState.toLowerCase()}` : undefined,
    tags: { ...(instance.freeformTags ?? {}) },
    details: {
      instanceType: instance.shape,
      cpu: instance.shapeConfig?.ocpus,
      memoryGb: instance.shapeConfig?.memoryInGBs,
      compartmentId: instance.compartmentId,
      availabilityDomain: instance.availabilityDomain,
      consoleUrl: `https://cloud.oracle.com/compute/instances/${instance.id}?region=${common.Region.getRegionIdFromShortCode(instance.region)}`,
    },
  };
}
