// The ProviderRegistry services receive: built once in the composition root from whichever adapters
// are configured, or (demo mode) from one simulator per provider kind.
import type { PrismaClient } from "../db/database.js";
import { CloudProviderError, PROVIDER_KINDS, type CloudProvider, type ProviderKind, type ProviderRegistry } from "./cloud-provider.js";
import { RetryingProvider, type RetryOptions } from "./retrying-provider.js";
import { SimulatorProvider } from "./simulator/simulator-provider.js";


export class ProviderNotConfiguredError extends CloudProviderError {
  constructor(kind: ProviderKind, configured: ProviderKind[]) {
    super(
      kind,
      "ProviderNotConfigured",
      `No ${kind} provider is configured in this bot` +
        (configured.length ? ` (configured: ${configured.join(", ")})` : " (no providers are configured)"),
    );
    this.name = "ProviderNotConfiguredError";
  }
}

export function createProviderRegistry(providers: Partial<Record<ProviderKind, CloudProvider>>): ProviderRegistry {
  const entries = Object.entries(providers) as [ProviderKind, CloudProvider | undefined][];
  const byKind = new Map<ProviderKind, CloudProvider>();
  for (const [kind, provider] of entries) {
    if (!provider) continue;
    // A wiring slip here would send one cloud's calls to another; fail at start-up instead.
    if (provider.kind !== kind) throw new Error(`Provider registered as ${kind} reports kind ${provider.kind}`);
    byKind.set(kind, provider);
  }
  return {
    get(kind) {
      const provider = byKind.get(kind);
      if (!provider) throw new ProviderNotConfiguredError(kind, [...byKind.keys()]);
      return provider;
    },
    kinds: () => [...byKind.keys()],
  };
}

export interface SimulatedRegistryOptions {
  prisma: PrismaClient;
  latencyMs: number;
  jitterMs: number;
  failureRate: number;
  throttleRate: number;
  random?: () => number;
  now?: () => Date;
  pollIntervalMs?: number;
  retry?: RetryOptions;
}

export interface SimulatedRegistry extends ProviderRegistry {
  /** The bare simulator behind a kind, for demo controls (injectFault, registerInstance). */
  simulator(kind: ProviderKind): SimulatorProvider;
}

/** Demo mode: every provider kind answered by a retrying simulator, so no cloud account is needed. */
export function createSimulatedRegistry({ retry, ...options }: SimulatedRegistryOptions): SimulatedRegistry {
  const simulators = new Map(PROVIDER_KINDS.map((kind) => [kind, new SimulatorProvider({ ...options, kind })]));
  const registry = createProviderRegistry(
    Object.fromEntries([...simulators].map(([kind, simulator]) => [kind, new RetryingProvider(simulator, retry)])),
  );
  return {
    ...registry,
    simulator(kind) {
      const simulator = simulators.get(kind);
      if (!simulator) throw new ProviderNotConfiguredError(kind, registry.kinds());
      return simulator;
    },
  };
}
