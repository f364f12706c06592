// The VM filter language shared by `/vm list` and the list message's filter box:
//   status:running provider:aws tag:team=backend env:demo name~db   (bare words match names)
import { PROVIDER_KINDS, type ProviderKind } from "../providers/cloud-provider.js";
import { ValidationError } from "./errors.js";

export const VM_STATUSES = ["running", "stopped", "starting", "stopping", "rebooting", "error", "unknown"] as const;
export type VmStatus = (typeof VM_STATUSES)[number];

export interface VmFilters {
  nameContains?: string;
  statuses?: VmStatus[];
  providers?: ProviderKind[];
  tags?: { key: string; value?: string }[];
  environment?: string;
}

export const VM_QUERY_HELP = "status:running provider:aws tag:team=backend env:demo name~db";

function oneOf<T extends string>(allowed: readonly T[], raw: string, what: string): T[] {
  const values = raw.split(",").map((value) => value.trim().toLowerCase()).filter(Boolean);
  const bad = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (bad.length || !values.length) {
    throw new ValidationError(`Unknown ${what} "${bad.join(",") || raw}". Use one of: ${allowed.join(", ")}.`);
  }
  return values as T[];
}

export function parseVmQuery(text: string): VmFilters {
  const filters: VmFilters = {};
  const names: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    // The filter box passes text straight here; PostgreSQL refuses NUL in a text comparison.
    if (token.includes("\u0000")) throw new ValidationError(`"${token.replaceAll("\u0000", "")}" contains a NUL character; filters are plain text.`);
    const nameMatch = /^name[~:](.+)$/i.exec(token);
    const field = /^([a-z]+):(.*)$/i.exec(token);
    if (nameMatch) {
      names.push(nameMatch[1]!);
    } else if (!field) {
      names.push(token);
    } else {
      const [, key, value] = field as unknown as [string, string, string];
      if (!value) throw new ValidationError(`"${token}" needs a value, e.g. ${key}:something.`);
      switch (key.toLowerCase()) {
        case "status":
          filters.statuses = oneOf(VM_STATUSES, value, "status");
          break;
        case "provider":
          filters.providers = oneOf(PROVIDER_KINDS, value, "provider");
          break;
        case "tag": {
          const [tagKey, ...rest] = value.split("=");
          // "tag:=prod" would filter on a tag without a name: nothing matches, and the user never learns why.
          if (!tagKey) throw new ValidationError(`"${token}" needs a tag name, e.g. tag:team=backend.`);
          filters.tags = [...(filters.tags ?? []), rest.length ? { key: tagKey!, value: rest.join("=") } : { key: tagKey! }];
          break;
        }
        case "env":
        case "environment":
          filters.environment = value;
          break;
        default:
          throw new ValidationError(`Unknown filter "${key}:". Filters: ${VM_QUERY_HELP}.`);
      }
    }
  }
  if (names.length > 1) throw new ValidationError(`Give one name fragment, not ${names.length} ("${names.join('", "')}").`);
  if (names[0]) filters.nameContains = names[0];
  return filters;
}

/** The filters written back in the same language, for "showing: ..." lines and filter boxes. */
export function formatVmQuery(filters: VmFilters): string {
  const parts: string[] = [];
  if (filters.statuses?.length) parts.push(`status:${filters.statuses.join(",")}`);
  if (filters.providers?.length) parts.push(`provider:${filters.providers.join(",")}`);
  for (const tag of filters.tags ?? []) parts.push(`tag:${tag.key}${tag.value !== undefined ? `=${tag.value}` : ""}`);
  if (filters.environment) parts.push(`env:${filters.environment}`);
  if (filters.nameContains) parts.push(`name~${filters.nameContains}`);
  return parts.join(" ");
}
