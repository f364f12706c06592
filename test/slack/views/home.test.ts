import { describe, expect, it } from "vitest";
import { permissionsOf } from "../../../src/services/policy.js";
import type { VmSummary } from "../../../src/services/vm-service.js";
import { ACTION } from "../../../src/slack/ids.js";
import { HOME_LIST_LIMIT, renderHome } from "../../../src/slack/views/home.js";
import { auditEntries } from "./audit-fixtures.js";
import { buttonsNamed, homeProblems } from "./slack-limits.js";

const actor = { userId: 1, teamId: "T0TEAM0001", slackUserId: "U0ALICE001", displayName: "alice", role: "operator" as const, active: true };

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
      group: null,
    } satisfies VmSummary,
    action: "vm_start",
    at: new Date(Date.UTC(2026, 10, 1) - index * 60_000),
  }));
}

const render = (count: number, long = false) =>
  renderHome({ me: { actor, lastLoginAt: new Date("2026-11-01T08:00:00Z"), permissions: permissionsOf("operator") }, recent: auditEntries(count, long), vms: vms(count, long) });

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
});
