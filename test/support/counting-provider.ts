// Counts the calls services make to the clouds: wraps each provider of a real registry (the simulator)
// and records every method call with its arguments, then forwards it unchanged.
import type { CloudProvider, ProviderKind, ProviderRegistry } from "../../src/providers/cloud-provider.js";

export interface ProviderCall {
  kind: ProviderKind;
  method: string;
  args: unknown[];
}

const POWER_METHODS = ["powerInstances", "startInstance", "stopInstance", "rebootInstance"];

export function countingRegistry(inner: ProviderRegistry) {
  const calls: ProviderCall[] = [];
  const wrapped = new Map<ProviderKind, CloudProvider>();
  const wrap = (provider: CloudProvider): CloudProvider =>
    new Proxy(provider, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push({ kind: target.kind, method: String(property), args });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const registry: ProviderRegistry = {
    get(kind) {
      const existing = wrapped.get(kind);
      if (existing) return existing;
      const provider = wrap(inner.get(kind));
      wrapped.set(kind, provider);
      return provider;
    },
    kinds: () => inner.kinds(),
  };
  return {
    registry,
    calls,
    /** Calls that ask a cloud to start, stop or reboot machines (a batch call counts once). */
    powerCalls: () => calls.filter((call) => POWER_METHODS.includes(call.method)),
  };
}
