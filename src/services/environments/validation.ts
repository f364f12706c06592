// Rejects an environment that could never be started in order, with one message per problem that
// names it: a cycle (`web -> api -> web`), a dependency across groups or on something missing,
// two groups (or two VMs of a group) at the same sequence position.
import { ValidationError } from "../errors.js";
import type { EnvironmentSpec, InventorySpec } from "./model.js";

export class InvalidEnvironmentError extends ValidationError {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
  }
}

/** The first cycle in a dependency graph, as `a -> b -> a` (a depends on b, b on a); undefined when acyclic. */
export function findCycle(nodes: readonly string[], dependsOn: (node: string) => readonly string[]): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of dependsOn(node)) {
      if (!nodes.includes(next)) continue; // missing targets are reported separately
      if (state.get(next) === "visiting") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of nodes) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function duplicates<T>(items: readonly T[]): T[] {
  return [...new Set(items.filter((item, index) => items.indexOf(item) !== index))];
}

export function environmentProblems(environment: EnvironmentSpec): string[] {
  const problems: string[] = [];
  const env = `Environment ${environment.name}`;
  const groupNames = environment.groups.map((group) => group.name);
  const groupOfVm = new Map<string, string>();
  for (const group of environment.groups) for (const vm of group.vms) groupOfVm.set(vm.name, group.name);

  for (const name of duplicates(groupNames)) problems.push(`${env}: group ${name} is declared twice.`);
  for (const position of duplicates(environment.groups.map((group) => group.sequence))) {
    const holders = environment.groups.filter((group) => group.sequence === position).map((group) => group.name);
    problems.push(`${env}: groups ${holders.join(" and ")} share sequence position ${position}.`);
  }
  for (const group of environment.groups) {
    for (const required of group.dependsOn) {
      if (!groupNames.includes(required)) problems.push(`${env}: group ${group.name} depends on group ${required}, which does not exist.`);
    }
    for (const position of duplicates(group.vms.map((vm) => vm.sequence))) {
      const holders = group.vms.filter((vm) => vm.sequence === position).map((vm) => vm.name);
      problems.push(`${env}: VMs ${holders.join(" and ")} of group ${group.name} share sequence position ${position}.`);
    }
    for (const vm of group.vms) {
      for (const required of vm.dependsOn) {
        const requiredGroup = groupOfVm.get(required);
        if (!requiredGroup) problems.push(`${env}: VM ${vm.name} depends on ${required}, which is not a VM of this environment.`);
        else if (requiredGroup !== group.name) {
          problems.push(
            `${env}: VM ${vm.name} (group ${group.name}) depends on ${required} of group ${requiredGroup}: a VM may depend only on VMs of its own group (make group ${group.name} depend on group ${requiredGroup} instead).`,
          );
        }
      }
    }
    const vmNames = group.vms.map((vm) => vm.name);
    const vmCycle = findCycle(vmNames, (name) => group.vms.find((vm) => vm.name === name)?.dependsOn ?? []);
    if (vmCycle) problems.push(`${env}: VM dependency cycle in group ${group.name}: ${vmCycle.join(" -> ")}.`);
  }
  const groupCycle = findCycle(groupNames, (name) => environment.groups.find((group) => group.name === name)?.dependsOn ?? []);
  if (groupCycle) problems.push(`${env}: group dependency cycle: ${groupCycle.join(" -> ")}.`);
  return problems;
}

/** Every problem of a whole inventory: each environment's, plus names and resource ids used twice. */
export function inventoryProblems(inventory: InventorySpec): string[] {
  const problems = inventory.environments.flatMap(environmentProblems);
  for (const name of duplicates(inventory.environments.map((environment) => environment.name))) problems.push(`Environment ${name} is declared twice.`);
  const allVms = [...inventory.environments.flatMap((environment) => environment.groups.flatMap((group) => group.vms)), ...inventory.vms];
  for (const name of duplicates(allVms.map((vm) => vm.name))) problems.push(`VM ${name} is declared twice.`);
  for (const key of duplicates(allVms.map((vm) => `${vm.provider} ${vm.resourceId}`))) {
    const holders = allVms.filter((vm) => `${vm.provider} ${vm.resourceId}` === key).map((vm) => vm.name);
    problems.push(`VMs ${holders.join(" and ")} have the same ${key.split(" ")[0]} resource id ${key.slice(key.indexOf(" ") + 1)}.`);
  }
  return problems;
}

export function assertValidInventory(inventory: InventorySpec): void {
  const problems = inventoryProblems(inventory);
  if (problems.length) throw new InvalidEnvironmentError(problems);
}
