// The inventory file (YAML): parsed and checked with zod, every problem pointing at the file's line
// and column; and written back in the same shape by `export`.
import { isNode, LineCounter, parseDocument, stringify, type Document } from "yaml";
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { nameSchema, providerKindSchema, readinessCheckSchema, type InventorySpec } from "./model.js";

const tagValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const position = z.number().int().min(0).max(10_000);

const standaloneVmSchema = z
  .object({
    name: nameSchema,
    provider: providerKindSchema,
    region: z.string().min(1),
    resourceId: z.string().min(1),
    tags: z.record(z.string().min(1), tagValue).default({}),
  })
  .strict();

const environmentVmSchema = standaloneVmSchema
  .extend({
    sequence: position.optional(),
    dependsOn: z.array(nameSchema).default([]),
    readiness: readinessCheckSchema.optional(),
  })
  .strict();

const groupSchema = z
  .object({
    name: nameSchema,
    sequence: position.optional(),
    dependsOn: z.array(nameSchema).default([]),
    settleSeconds: z.number().int().min(0).max(3600).default(0),
    vms: z.array(environmentVmSchema).default([]),
  })
  .strict();

const environmentSchema = z
  .object({
    name: nameSchema,
    description: z.string().optional(),
    groups: z.array(groupSchema).default([]),
  })
  .strict();

export const inventoryFileSchema = z
  .object({
    environments: z.array(environmentSchema).default([]),
    vms: z.array(standaloneVmSchema).default([]),
  })
  .strict();

/** The file could not be read as an inventory; each problem starts with `file:line:column`. */
export class InventoryFileError extends ValidationError {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** The position of the deepest node that exists along `path` (a missing key points at its parent). */
function positionOf(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length) as (string | number)[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index ? "." : ""}${String(part)}`)).join("");
}

export function parseInventoryFile(text: string, fileName = "inventory.yml"): InventorySpec {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length) {
    throw new InventoryFileError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${fileName}:${line}:${col} ${error.message.split("\n")[0]}`;
      }),
    );
  }
  const parsed = inventoryFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw new InventoryFileError(
      parsed.error.issues.map((issue) => {
        const { line, col } = positionOf(document, lineCounter, issue.path);
        const where = issue.path.length ? `${pathText(issue.path)}: ` : "";
        return `${fileName}:${line}:${col} ${where}${issue.message}`;
      }),
    );
  }
  return {
    environments: parsed.data.environments.map((environment) => ({
      name: environment.name,
      ...(environment.description !== undefined ? { description: environment.description } : {}),
      groups: environment.groups.map((group, groupIndex) => ({
        name: group.name,
        sequence: group.sequence ?? groupIndex,
        dependsOn: group.dependsOn,
        settleSeconds: group.settleSeconds,
        vms: group.vms.map((vm, vmIndex) => ({ ...vm, sequence: vm.sequence ?? vmIndex })),
      })),
    })),
    vms: parsed.data.vms,
  };
}

/** The inventory as a file `parseInventoryFile` reads back to the same specs (defaults left out). */
export function formatInventoryFile(inventory: InventorySpec): string {
  const tags = (value: Record<string, string>) => (Object.keys(value).length ? { tags: value } : {});
  const dependsOn = (value: string[]) => (value.length ? { dependsOn: value } : {});
  const document = {
    environments: inventory.environments.map((environment) => ({
      name: environment.name,
      ...(environment.description ? { description: environment.description } : {}),
      groups: environment.groups.map((group) => ({
        name: group.name,
        sequence: group.sequence,
        ...dependsOn(group.dependsOn),
        ...(group.settleSeconds ? { settleSeconds: group.settleSeconds } : {}),
        vms: group.vms.map((vm) => ({
          name: vm.name,
          sequence: vm.sequence,
          provider: vm.provider,
          region: vm.region,
          resourceId: vm.resourceId,
          ...tags(vm.tags),
          ...dependsOn(vm.dependsOn),
          ...(vm.readiness ? { readiness: vm.readiness } : {}),
        })),
      })),
    })),
    vms: inventory.vms.map((vm) => ({ name: vm.name, provider: vm.provider, region: vm.region, resourceId: vm.resourceId, ...tags(vm.tags) })),
  };
  return `# VM inventory: npm run inventory -- apply <file> [--dry-run] [--prune]\n${stringify(document, { lineWidth: 0 })}`;
}
