// Each rejection of an environment model, and the message that names the problem.
import { describe, expect, it } from "vitest";
import type { EnvironmentSpec, GroupSpec } from "../../../src/services/environments/model.js";
import { environmentProblems, findCycle, inventoryProblems } from "../../../src/services/environments/validation.js";
import { group, vm } from "./specs.js";

const env = (groups: GroupSpec[]): EnvironmentSpec => ({ name: "shop", groups });

describe("environment validation", () => {
  it("accepts a layered environment", () => {
    const valid = env([
      group("database", 0, [vm("db-1", 0), vm("db-2", 1, ["db-1"])]),
      group("app", 1, [vm("api", 0), vm("worker", 1, ["api"])], ["database"]),
      group("web", 2, [vm("web-1", 0)], ["app"]),
    ]);
    expect(environmentProblems(valid)).toEqual([]);
  });

  it("names a group cycle", () => {
    const cyclic = env([group("web", 0, [], ["api"]), group("api", 1, [], ["web"])]);
    expect(environmentProblems(cyclic)).toEqual(["Environment shop: group dependency cycle: web -> api -> web."]);
  });

  it("names a VM cycle inside a group, including a VM depending on itself", () => {
    const cyclic = env([group("app", 0, [vm("a", 0, ["b"]), vm("b", 1, ["c"]), vm("c", 2, ["a"])])]);
    expect(environmentProblems(cyclic)).toEqual(["Environment shop: VM dependency cycle in group app: a -> b -> c -> a."]);
    expect(environmentProblems(env([group("app", 0, [vm("a", 0, ["a"])])]))).toEqual(["Environment shop: VM dependency cycle in group app: a -> a."]);
  });

  it("refuses a VM depending on a VM of another group, and says what to do instead", () => {
    const crossing = env([group("database", 0, [vm("db", 0)]), group("app", 1, [vm("api", 0, ["db"])])]);
    expect(environmentProblems(crossing)).toEqual([
      "Environment shop: VM api (group app) depends on db of group database: a VM may depend only on VMs of its own group (make group app depend on group database instead).",
    ]);
  });

  it("refuses duplicate sequence positions for groups and for the VMs of a group", () => {
    const duplicated = env([group("database", 0, [vm("db-1", 3), vm("db-2", 3)]), group("app", 0, [])]);
    expect(environmentProblems(duplicated)).toEqual([
      "Environment shop: groups database and app share sequence position 0.",
      "Environment shop: VMs db-1 and db-2 of group database share sequence position 3.",
    ]);
  });

  it("refuses dependencies on missing groups and VMs", () => {
    const missing = env([group("app", 0, [vm("api", 0, ["ghost"])], ["database"])]);
    expect(environmentProblems(missing)).toEqual([
      "Environment shop: group app depends on group database, which does not exist.",
      "Environment shop: VM api depends on ghost, which is not a VM of this environment.",
    ]);
  });

  it("refuses names and resource ids used twice across the inventory", () => {
    const problems = inventoryProblems({
      environments: [env([group("app", 0, [vm("api", 0)])]), env([])],
      vms: [{ name: "api", provider: "simulator", region: "sim-1", resourceId: "sim-api", tags: {} }],
    });
    expect(problems).toEqual([
      "Environment shop is declared twice.",
      "VM api is declared twice.",
      "VMs api and api have the same simulator resource id sim-api.",
    ]);
  });

  it("finds no cycle in a diamond", () => {
    const edges: Record<string, string[]> = { top: ["left", "right"], left: ["bottom"], right: ["bottom"], bottom: [] };
    expect(findCycle(Object.keys(edges), (node) => edges[node]!)).toBeUndefined();
  });
});
