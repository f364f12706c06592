// Batch calls for clouds (the simulator) whose API takes one machine at a time: each id is asked on its
// own, and a failure becomes that id's answer instead of failing the batch.
import { CloudProviderError, type BatchResult, type CloudInstance, type CloudProvider, type PowerAction } from "./cloud-provider.js";

export async function describeEach(provider: CloudProvider, resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
  return Promise.all(
    resourceIds.map((resourceId) =>
      provider.describeInstance(resourceId).catch((error: unknown) => asProviderError(provider, error)),
    ),
  );
}

export async function powerEach(provider: CloudProvider, action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
  const call = { start: "startInstance", stop: "stopInstance", reboot: "rebootInstance" } as const;
  return Promise.all(
    resourceIds.map((resourceId) =>
      provider[call[action]](resourceId).then(
        (): BatchResult => ({ resourceId, ok: true }),
        (error: unknown): BatchResult => ({ resourceId, ok: false, error: asProviderError(provider, error) }),
      ),
    ),
  );
}

function asProviderError(provider: CloudProvider, error: unknown): CloudProviderError {
  if (error instanceof CloudProviderError) return error;
  return new CloudProviderError(provider.kind, "Unexpected", error instanceof Error ? error.message : String(error));
}
