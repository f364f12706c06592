// Small builders for environment specs in tests.
import type { EnvironmentSpec, GroupSpec, VmSpec } from "../../../src/services/environments/model.js";

export function vm(name: string, sequence: number, dependsOn: string[] = [], extra: Partial<VmSpec> = {}): VmSpec {
  return { name, sequence, provider: "simulator", region: "sim-1", resourceId: `sim-${name}`, tags: {}, dependsOn, ...extra };
}

export function group(name: string, sequence: number, vms: VmSpec[], dependsOn: string[] = [], settleSeconds = 0): GroupSpec {
  return { name, sequence, dependsOn, settleSeconds, vms };
}

export function environment(name: string, groups: GroupSpec[]): EnvironmentSpec {
  return { name, groups };
}
