// The Azure adapter's one entry point: production credentials come from DefaultAzureCredential (the
// standard chain: environment, workload identity, managed identity, Azure CLI...), never from config.
import { DefaultAzureCredential } from "@azure/identity";
import type { CloudProvider } from "../cloud-provider.js";
import { AzureProvider } from "./azure-provider.js";
import type { AzureProviderOptions } from "./azure-options.js";

export type { AzureProviderOptions, AzureStopMode, AzureSubscriptionScope, Pace } from "./azure-options.js";

export function createAzureProvider(options: AzureProviderOptions): CloudProvider {
  return new AzureProvider(options, options.credential ?? new DefaultAzureCredential());
}
