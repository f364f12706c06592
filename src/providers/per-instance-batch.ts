// Batch calls for clouds whose API takes one machine at a time (Azure, OCI, the simulator): each id is
// asked on its own, at most `limit` at once, and a failure becomes that id's answer instead of failing
// the batch. (A machine throttled here is retried on its own by RetryingProvider.)
import type { LimitFunction } from "p-limit";
import { CloudProviderError, type BatchResult, type CloudInstance, type CloudProvider, type PowerAction } from "./cloud-provider.js";

export interface PerInstanceOptions {
  /** Bounds the calls in flight (e.g. p-limit); unbounded when absent. */
  limit?: LimitFunction;
  /** The provider's own words for a failure, for the operation ("describe", "start"...) on that machine. */
  asError?: (error: unknown, operation: string, resourceId: string) => CloudProviderError;
}

type PerInstanceProvider = Pick<CloudProvider, "kind" | "describeInstance" | "startInstance" | "stopInstance" | "rebootInstance">;

export async function describeEach(provider: PerInstanceProvider, resourceIds: string[], options: PerInstanceOptions = {}): Promise<(CloudInstance | CloudProviderError)[]> {
  const { run, asError } = helpers(provider, options);
  return Promise.all(resourceIds.map((resourceId) => run(() => provider.describeInstance(resourceId)).catch((error: unknown) => asError(error, "describe", resourceId))));
}

export async function powerEach(provider: PerInstanceProvider, action: PowerAction, resourceIds: string[], options: PerInstanceOptions = {}): Promise<BatchResult[]> {
  const { run, asError } = helpers(provider, options);
  const call = { start: "startInstance", stop: "stopInstance", reboot: "rebootInstance" } as const;
  return Promise.all(
    resourceIds.map((resourceId) =>
      run(() => provider[call[action]](resourceId)).then(
        (): BatchResult => ({ resourceId, ok: true }),
        (error: unknown): BatchResult => ({ resourceId, ok: false, error: asError(error, action, resourceId) }),
      ),
    ),
  );
}

function helpers(provider: PerInstanceProvider, options: PerInstanceOptions) {
  return {
    run: <T>(call: () => Promise<T>): Promise<T> => (options.limit ? options.limit(call) : call()),
    asError: (error: unknown, operation: string, resourceId: string): CloudProviderError => {
      if (error instanceof CloudProviderError) return error;
      if (options.asError) return options.asError(error, operation, resourceId);
      return new CloudProviderError(provider.kind, "Unexpected", error instanceof Error ? error.message : String(error));
    },
  };
}
