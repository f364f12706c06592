// What a user is told when a cloud call fails: the error catalog's plain words and suggested action, never a
// stack; the audit keeps the raw code and the cloud's own message (`providerErrorDetails`).
import { CloudProviderError, type ProviderKind } from "../providers/cloud-provider.js";
import { explainFailure, userText } from "../providers/error-catalog.js";

export function describeProviderError(error: unknown): string {
  if (error instanceof CloudProviderError) return userText(explainFailure(error.provider, error)!);
  return error instanceof Error ? error.message : String(error);
}

/** For the audit details: the cloud's code and words as it said them, and the catalog's category. */
export function providerErrorDetails(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof CloudProviderError)) return error instanceof Error ? { message: error.message } : undefined;
  return { provider: error.provider, code: error.code, category: explainFailure(error.provider, error)!.category, message: error.message };
}

/** Why a machine is in `error`, as the cloud put it (e.g. an EC2 state reason): explained when it carries a known code. */
export function describeStateFailure(provider: ProviderKind, stateMessage: string): string {
  const explanation = explainFailure(provider, stateMessage);
  return explanation ? userText(explanation) : stateMessage;
}

export function stateFailureDetails(provider: ProviderKind, stateMessage: string): Record<string, unknown> {
  const explanation = explainFailure(provider, stateMessage);
  return { provider, ...(explanation ? { code: explanation.code, category: explanation.category } : {}), message: stateMessage };
}
