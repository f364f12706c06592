// Hook for "drift sync over 5,000 VMs: wall time and provider calls". The fleet's simulated clouds hold
// every VM (insertFleet with simulatedCloud and a driftShare); this wraps the registry to count every
// provider call, times the sync the caller runs with it, and returns the figures for the table.
import type { ProviderRegistry } from "../../src/providers/cloud-provider.js";
import { countingRegistry } from "../../test/support/counting-provider.js";
import type { Figure } from "./figures.js";
import type { InsertedFleet } from "./fleet.js";
import { time } from "./measure.js";

/**
 * `sync` receives the counting registry: build the services with it and run the sync, e.g.
 * `(providers) => createServices(db, providers, options).drift.syncAll(...)`.
 */
export async function measureDriftSync(fleet: InsertedFleet, providers: ProviderRegistry, sync: (providers: ProviderRegistry) => Promise<unknown>): Promise<Figure[]> {
  const counted = countingRegistry(providers);
  const [wallMs] = await time(() => sync(counted.registry));
  const vms = fleet.vms.length;
  const byMethod = new Map<string, number>();
  for (const call of counted.calls) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
  const methods = [...byMethod].map(([method, count]) => `${method} ${count}`).join(", ");
  return [
    { name: `drift sync of ${vms.toLocaleString("en-US")} VMs: wall time`, value: wallMs / 1000, unit: "s", note: `${fleet.drifted} VMs drifted in the simulated clouds` },
    // A sync that lists each cloud region once makes a handful of calls; one describe per VM makes one per VM.
    { name: "drift sync: provider calls", value: counted.calls.length, unit: "calls", baseline: { value: vms, label: "one describe per VM" }, note: methods || "no calls" },
  ];
}
