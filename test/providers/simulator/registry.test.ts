import { expect, it } from "vitest";
import type { CloudProvider } from "../../../src/providers/cloud-provider.js";
import { createProviderRegistry, createSimulatedRegistry, ProviderNotConfiguredError } from "../../../src/providers/registry.js";
import { describeEachDatabase } from "../../support/databases.js";
import { testClock } from "./test-clock.js";

it("names the unconfigured kind and the configured ones", () => {
  const registry = createProviderRegistry({ aws: { kind: "aws" } as CloudProvider });
  expect(registry.kinds()).toEqual(["aws"]);
  expect(() => registry.get("gcp")).toThrow(ProviderNotConfiguredError);
  expect(() => registry.get("gcp")).toThrow("No gcp provider is configured in this bot (configured: aws)");
});

it("refuses a provider registered under another kind", () => {
  expect(() => createProviderRegistry({ azure: { kind: "aws" } as CloudProvider })).toThrow(/registered as azure reports kind aws/);
});

describeEachDatabase("createSimulatedRegistry", (t) => {
  it("answers every kind with its own retrying simulator", async () => {
    const clock = testClock();
    const registry = createSimulatedRegistry({ prisma: t.db.prisma, latencyMs: 0, jitterMs: 0, failureRate: 0, throttleRate: 0, now: clock.now });
    expect(registry.kinds()).toEqual(["aws", "azure", "gcp", "oci", "simulator"]);
    const { resourceId } = await registry.simulator("azure").registerInstance({ name: "web-1", region: "westeurope", state: "stopped" });
    const azure = registry.get("azure");
    expect(azure.kind).toBe("azure");
    await azure.startInstance(resourceId);
    expect(await azure.describeInstance(resourceId)).toMatchObject({ state: "running", providerState: "VM running" });
    expect(await registry.get("aws").listInstances()).toEqual([]);
  });
});
