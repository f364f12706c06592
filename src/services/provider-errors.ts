// What a user is told when a cloud call fails: the provider's own words, never a stack.
import { CloudProviderError } from "../providers/cloud-provider.js";

export function describeProviderError(error: unknown): string {
  if (error instanceof CloudProviderError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
