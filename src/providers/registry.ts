// The ProviderRegistry services receive: built once in the composition root from whichever adapters
// are configured, or (demo mode) from one simulator per provider kind.
import type { PrismaClient } from "../db/database.js";
import { CloudProviderError, PROVIDER_KINDS, type CloudProvider, type ProviderKind, type ProviderRegistry } from "./cloud-provider.js";
import { RetryingProvider, type RetryOptions } from "./retrying-provider.js";
import { SimulatorProvider } from "./simulator/simulator-provider.js";
import type { CloudsConfig } from "./clouds-config.js";
import { RequestPacer, type BucketSpec } from "./request-pacer.js";

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

/** What an adapter factory receives: its clouds.yml section and what every adapter shares. */
export interface AdapterContext<Section> {
  section: Section;
  discoveryTags: Record<string, string>;
  pacer: RequestPacer;
}

/**
 * Request buckets for the clouds that publish none per call (or publish them per subscription): ARM's
 * subscription token buckets for Azure; conservative rates for OCI, whose limits are per tenancy and unpublished.
 */
const PACED_BUCKETS = {
  azure: { read: { capacity: 250, refillPerSecond: 25 }, write: { capacity: 200, refillPerSecond: 10 } },
  oci: { read: { capacity: 20, refillPerSecond: 10 }, write: { capacity: 10, refillPerSecond: 5 } },
} satisfies Record<string, Record<"read" | "write", BucketSpec>>;

/** The `pace(key, call)` hook of the Azure and OCI adapters (keys end in `:read` or `:write`) on the shared pacer. */
function paceWith(pacer: RequestPacer, kind: keyof typeof PACED_BUCKETS) {
  return async <T>(key: string, call: () => Promise<T>): Promise<T> => {
    const category = key.endsWith(":write") ? "write" : "read";
    await pacer.acquire(key.slice(0, key.lastIndexOf(":")), category, PACED_BUCKETS[kind][category]);
    return call();
  };
}

/** Azure and OCI discover by one tag; clouds.yml may name several for the other clouds. */
function singleDiscoveryTag(kind: ProviderKind, tags: Record<string, string>): { key: string; value: string } | undefined {
  const entries = Object.entries(tags);
  if (entries.length > 1) throw new Error(`discovery.tags: the ${kind} adapter discovers by one tag; clouds.yml names ${entries.length}`);
  return entries[0] && { key: entries[0][0], value: entries[0][1] };
}

/**
 * One factory per provider kind: its clouds.yml section in, its adapter out. Each imports its adapter (and
 * so its cloud's SDK, tens of MiB and hundreds of ms each) only when that cloud is configured.
 */
export const CLOUD_ADAPTER_FACTORIES: {
  [K in Exclude<ProviderKind, "simulator">]?: (context: AdapterContext<NonNullable<CloudsConfig[K]>>) => Promise<CloudProvider>;
} = {
  aws: async ({ section, discoveryTags, pacer }) => {
    const { AwsProvider } = await import("./aws/aws-provider.js");
    return new AwsProvider({
      accounts: section.accounts.map((account) => ({ accountId: account.id, regions: account.regions, profile: account.profile, endpoint: section.endpoint })),
      discoveryTags,
      pacer,
    });
  },
  gcp: async ({ section, discoveryTags, pacer }) => {
    const { GcpProvider } = await import("./gcp/gcp-provider.js");
    return new GcpProvider({
      projects: section.projects.map((project) => ({ projectId: project.id, zones: project.zones })),
      discoveryLabels: discoveryTags,
      pacer,
      endpoint: section.endpoint,
    });
  },
  azure: async ({ section, discoveryTags, pacer }) => {
    const discoveryTag = singleDiscoveryTag("azure", discoveryTags);
    const { createAzureProvider } = await import("./azure/index.js");
    return createAzureProvider({
      subscriptions: section.subscriptions.map((subscription) => ({
        subscriptionId: subscription.id,
        resourceGroups: subscription.resourceGroups,
        locations: subscription.locations,
      })),
      discoveryTag,
      stopMode: section.stopMode,
      endpoint: section.endpoint,
      pace: paceWith(pacer, "azure"),
    });
  },
  oci: async ({ section, discoveryTags, pacer }) => {
    const regions = [...new Set(section.compartments.flatMap((compartment) => compartment.regions))];
    const discoveryTag = singleDiscoveryTag("oci", discoveryTags);
    const { createOciProvider } = await import("./oci/index.js");
    return createOciProvider({
      compartments: section.compartments.map((compartment) => compartment.id),
      regions,
      discoveryTag,
      authentication: { auth: section.auth, profile: section.profile },
      // One endpoint override serves every region under its own path (the test fake does).
      ...(section.endpoint ? { endpoints: Object.fromEntries(regions.map((region) => [region, `${section.endpoint!.replace(/\/$/, "")}/${region}`])) } : {}),
      pace: paceWith(pacer, "oci"),
    });
  },
};

/** clouds.yml configures a provider whose adapter this build does not have. */
export class MissingAdapterError extends Error {
  constructor(readonly kind: ProviderKind) {
    super(`${kind} is configured but this build has no ${kind} adapter`);
    this.name = "MissingAdapterError";
  }
}

export interface ConfiguredRegistryOptions {
  clouds: CloudsConfig;
  /** Shared by every adapter so each cloud's buckets are respected across all calls. */
  pacer?: RequestPacer;
  retry?: RetryOptions;
  /** Replaces or adds factories (tests, and the lead wiring azure/oci). */
  factories?: typeof CLOUD_ADAPTER_FACTORIES;
}

/**
 * Real clouds: every provider configured in clouds.yml gets its adapter, wrapped in RetryingProvider
 * (backoff with jitter on throttling). Kinds not configured are not available: no silent simulator.
 */
export async function createConfiguredRegistry({ clouds, pacer = new RequestPacer(), retry, factories = CLOUD_ADAPTER_FACTORIES }: ConfiguredRegistryOptions): Promise<ProviderRegistry> {
  const providers: Partial<Record<ProviderKind, CloudProvider>> = {};
  for (const kind of ["aws", "azure", "gcp", "oci"] as const) {
    const section = clouds[kind];
    if (!section) continue;
    const factory = factories[kind] as ((context: AdapterContext<typeof section>) => Promise<CloudProvider>) | undefined;
    if (!factory) throw new MissingAdapterError(kind);
    providers[kind] = new RetryingProvider(await factory({ section, discoveryTags: clouds.discovery.tags, pacer }), retry);
  }
  return createProviderRegistry(providers);
}

/** A configured registry where demo controls may ask for a simulator: there is none behind real clouds. */
export function withoutSimulators(registry: ProviderRegistry): SimulatedRegistry {
  return {
    ...registry,
    simulator(kind) {
      throw new CloudProviderError(kind, "NoSimulator", `This bot runs real clouds (CLOUDS_CONFIG); there is no ${kind} simulator to control`);
    },
  };
}
