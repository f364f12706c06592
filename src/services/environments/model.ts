// What an environment is made of, as declared (inventory file) and as stored: groups in sequence that
// may depend on other groups, VMs in sequence inside a group that may depend on VMs of the same group.
import { z } from "zod";
import { PROVIDER_KINDS, type ProviderKind } from "../../providers/cloud-provider.js";

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
export const nameSchema = z.string().regex(NAME, "must be letters, digits, '.', '_' or '-' (at most 63), starting with a letter or digit");

/** "Serving" means more than "running": a port that accepts connections, or a URL answering 2xx. */
export const readinessCheckSchema = z
  .object({
    tcp: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict().optional(),
    http: z.object({ url: z.url({ protocol: /^https?$/ }) }).strict().optional(),
    /** How long to keep trying before the step fails; the configured default when omitted. */
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
  })
  .strict()
  .refine((check) => Boolean(check.tcp) !== Boolean(check.http), "give exactly one of tcp or http");
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

export interface VmSpec {
  name: string;
  sequence: number;
  provider: ProviderKind;
  region: string;
  resourceId: string;
  tags: Record<string, string>;
  dependsOn: string[];
  readiness?: ReadinessCheck;
}

export interface GroupSpec {
  name: string;
  sequence: number;
  dependsOn: string[];
  settleSeconds: number;
  vms: VmSpec[];
}

export interface EnvironmentSpec {
  name: string;
  description?: string;
  groups: GroupSpec[];
}

/** A VM outside any environment (bastions, CI runners): still part of the inventory. */
export type StandaloneVmSpec = Omit<VmSpec, "sequence" | "dependsOn" | "readiness">;

export interface InventorySpec {
  environments: EnvironmentSpec[];
  vms: StandaloneVmSpec[];
}

export const providerKindSchema = z.enum(PROVIDER_KINDS);

/** One readable line per check. */
export function describeReadinessCheck(check: ReadinessCheck): string {
  return check.tcp ? `tcp ${check.tcp.host}:${check.tcp.port}` : `http ${check.http!.url}`;
}
