import { describe, expect, it } from "vitest";
import type { EnvironmentLevel } from "../../../src/services/actor.js";
import { permissionsOf } from "../../../src/services/policy.js";
import type { VmSummary } from "../../../src/services/vm-service.js";
import { ACTION } from "../../../src/slack/ids.js";
import { HOME_LIST_LIMIT, renderHome } from "../../../src/slack/views/home.js";
import { auditEntries } from "./audit-fixtures.js";
import { buttonsNamed, homeProblems } from "./slack-limits.js";

const actor = { userId: 1, teamId: "T0TEAM0001", slackUserId: "U0ALICE001", displayName: "alice", role: "operator" as const, active: true, envAdmin: false, environments: {} };

function vms(count: number, long = false) {
  return Array.from({ length: count }, (_, index) => ({
    vm: {
      id: index + 1,
      name: long ? `vm-${"v".repeat(4000)}` : `web-${index}`,
      status: index % 2 ? "running" : "stopped",
      statusMessage: null,
      provider: "aws",
      region: "eu-west-1",
      tags: {},
      lastAction: null,
      lastActionAt: null,
      environment: null,
      environmentId: null,
      group: null,
    } satisfies VmSummary,
    action: "vm_start",
    at: new Date(Date.UTC(2026, 10, 1) - index * 60_000),
  }));
}

const render = (count: number, long = false) =>
  renderHome({ me: { actor, lastLoginAt: new Date("2026-11-01T08:00:00Z"), permissions: permissionsOf(actor), environments: [] }, recent: auditEntries(count, long), vms: vms(count, long) });

describe("App Home", () => {
  it.each([0, 1, 10, 11, 5000])("stays inside Slack's limits with %i recent entries and VMs", (count) => {
    expect(homeProblems(render(count) as never)).toEqual([]);
    expect(homeProblems(render(count, true) as never)).toEqual([]);
  });

  it("shows the role, the permissions and the shortcuts", () => {
    const home = render(1);
    const text = JSON.stringify(home.blocks);
    expect(text).toContain("role *operator*");
    expect(text).toContain("snapshot restore");
    expect(buttonsNamed(home.blocks, ACTION.homeListVms)).toHaveLength(1);
    expect(buttonsNamed(home.blocks, ACTION.homeOpenAudit)).toHaveLength(1);
    expect(buttonsNamed(home.blocks, ACTION.homeHelp)).toHaveLength(1);
  });

  it("lists at most the limit of recent actions and VMs, with the VMs' state now", () => {
    const text = JSON.stringify(render(5000).blocks);
    expect(text).toContain("*web-0*  stopped");
    expect(text).toContain(`*web-${HOME_LIST_LIMIT - 1}*`);
    expect(text).not.toContain(`*web-${HOME_LIST_LIMIT}*`);
  });

  it("has an empty state for someone who did nothing yet", () => {
    const text = JSON.stringify(render(0).blocks);
    expect(text).toContain("Nothing yet.");
    expect(text).toContain("None yet.");
  });

  describe("environments", () => {
    const environments = (count: number, long = false) =>
      Array.from({ length: count }, (_, index) => ({
        id: index + 1,
        name: long ? `${"e".repeat(57)}-${String(index).padStart(5, "0")}` : `env-${index}`, // 63: the longest name an environment may have
        description: null,
        running: index % 3,
        total: 4,
        lockedBy: index === 1 ? (long ? "l".repeat(3000) : "ada") : null,
        lastRun: index === 0 ? { operationId: 7, action: "start" as const, status: "succeeded", at: new Date("2026-11-01T09:00:00Z") } : null,
      }));
    /** A global `role` with `level` access on every environment listed (as the presenter asks the policy). */
    const renderAs = (role: "viewer" | "operator", count: number, long = false, level: EnvironmentLevel = role === "viewer" ? "viewer" : "user") => {
      const listed = environments(count, long);
      const me = { ...actor, role, environments: Object.fromEntries(listed.map((environment) => [environment.id, level])) };
      return renderHome({
        me: {
          actor: me,
          lastLoginAt: null,
          permissions: permissionsOf(me),
          environments: listed.map((environment) => ({ id: environment.id, name: environment.name, level, permissions: permissionsOf(me, { environmentId: environment.id }) })),
        },
        recent: auditEntries(count, long),
        vms: vms(count, long),
        environments: listed.map((environment) => ({ ...environment, permissions: permissionsOf(me, { environmentId: environment.id }) })),
      });
    };

    it.each([0, 1, 15, 16, 500])("stay inside Slack's limits with %i environments (and as many entries and VMs)", (count) => {
      expect(homeProblems(renderAs("operator", count) as never)).toEqual([]);
      expect(homeProblems(renderAs("operator", count, true) as never)).toEqual([]);
    });

    it("shows running/total, the lock holder and the last execution, with Start and Stop for an operator", () => {
      const home = renderAs("operator", 2);
      const text = JSON.stringify(home.blocks);
      expect(text).toContain("*env-0*  0/4 running  ·  last start: succeeded");
      expect(text).toContain("*env-1*  1/4 running  ·  :lock: ada  ·  never run from here");
      expect(buttonsNamed(home.blocks, ACTION.homeEnvStart).map((button) => button.value)).toEqual(["env-0", "env-1"]);
      expect(buttonsNamed(home.blocks, ACTION.homeEnvStop)).toHaveLength(2);
    });

    it("asks per environment: an operator with only viewer access to an environment gets no buttons there", () => {
      const home = renderAs("operator", 2, false, "viewer");
      expect(buttonsNamed(home.blocks, ACTION.homeEnvStart)).toHaveLength(0);
      expect(buttonsNamed(home.blocks, ACTION.homeEnvStop)).toHaveLength(0);
      const text = JSON.stringify(home.blocks);
      expect(text).toContain("Your environments: env-0 (viewer), env-1 (viewer).");
      expect(text).toContain("Outside environments you may: vm view, access request, vm start");
    });

    it("shows a viewer the environments without buttons, and at most the limit with a pointer to the rest", () => {
      const home = renderAs("viewer", 20);
      expect(buttonsNamed(home.blocks, ACTION.homeEnvStart)).toHaveLength(0);
      const text = JSON.stringify(home.blocks);
      expect(text).toContain(`*env-${HOME_LIST_LIMIT - 1}*`);
      expect(text).not.toContain(`*env-${HOME_LIST_LIMIT}*`);
      expect(text).toContain("and 5 more");
    });
  });
});
