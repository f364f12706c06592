// The lock surfaces stay inside Slack's limits however many locks and however long the names and reasons are.
import { describe, expect, it } from "vitest";
import type { LockView, MyLocks } from "../../../src/services/locks/lock-model.js";
import { permissionsOf } from "../../../src/services/policy.js";
import { renderHome } from "../../../src/slack/views/home.js";
import { renderBreakLockModal, renderHomeLocks, renderLockBroken, renderLockList, renderLockRefusal, renderLockTaken } from "../../../src/slack/views/locks.js";
import { allText, buttonsNamed, homeProblems, messageProblems, modalProblems } from "./slack-limits.js";

const AT = new Date("2026-11-30T10:02:00Z");

function lock(index: number, long = false): LockView {
  return {
    id: index,
    environmentId: index,
    environment: long ? `env-${"e".repeat(3000)}` : `env-${index}`,
    holder: { userId: index, slackUserId: `U0HOLDER${index}`, displayName: "ada" },
    reason: long ? "r".repeat(5000) : "release testing",
    acquiredAt: AT,
    expiresAt: index % 2 ? new Date(AT.getTime() + 2 * 3600_000) : null,
  };
}

function mine(count: number, long = false): MyLocks {
  return {
    held: Array.from({ length: count }, (_, index) => lock(index + 1, long)),
    queued: Array.from({ length: count }, (_, index) => ({ environmentId: 100 + index, environment: long ? `q-${"q".repeat(3000)}` : `q-${index}`, position: index + 1, offeredUntil: index === 0 ? AT : null })),
  };
}

describe("lock views", () => {
  it.each([0, 1, 40, 2000])("the list stays inside Slack's limits with %i locks", (count) => {
    for (const long of [false, true]) expect(messageProblems(renderLockList(Array.from({ length: count }, (_, index) => lock(index, long))) as never)).toEqual([]);
  });

  it("the list names holder, since, why and until", () => {
    const text = allText(renderLockList([lock(1)]).blocks as never);
    expect(text).toContain("*env-1* is locked by <@U0HOLDER1> since <!date^");
    expect(text).toContain("(release testing), until <!date^");
    expect(allText(renderLockList([lock(2)]).blocks as never)).toContain(", with no end time");
  });

  it("the refusal offers Queue to everyone and Break only to those who may", () => {
    const plain = renderLockRefusal({ environment: "demo", text: "locked", mayBreak: false });
    expect(buttonsNamed(plain.blocks as never, "lock_queue")).toHaveLength(1);
    expect(buttonsNamed(plain.blocks as never, "lock_open_break")).toHaveLength(0);
    const admin = renderLockRefusal({ environment: "demo", text: "x".repeat(5000), mayBreak: true });
    expect(buttonsNamed(admin.blocks as never, "lock_open_break")).toHaveLength(1);
    expect(messageProblems(admin as never)).toEqual([]);
  });

  it("outcome messages and the break modal stay inside the limits", () => {
    for (const message of [renderLockTaken(lock(1, true)), renderLockBroken(lock(1, true), "U0ADMIN001", "y".repeat(5000))]) expect(messageProblems(message as never)).toEqual([]);
    expect(modalProblems(renderBreakLockModal({ environment: "e".repeat(100), channel: "C0123" }) as never)).toEqual([]);
  });

  it("App Home shows the user's locks and queue places, bounded, and nothing when there are none", () => {
    expect(renderHomeLocks({ held: [], queued: [] }, 15)).toEqual([]);
    const text = allText(renderHomeLocks(mine(1), 15) as never);
    expect(text).toContain("*env-1* held by you since");
    expect(text).toContain("*q-0* is yours to take until");
    expect(allText(renderHomeLocks(mine(3), 15) as never)).toContain("*q-2*: #3 in the queue");
    expect(allText(renderHomeLocks(mine(20), 15) as never)).toContain("…and 25 more");
    const actor = { userId: 1, teamId: "T0TEAM0001", slackUserId: "U0ALICE001", displayName: "alice", role: "operator" as const, active: true, envAdmin: false, environments: {} };
    for (const [count, long] of [[0, false], [20, false], [500, true]] as const) {
      const home = renderHome({ me: { actor, lastLoginAt: null, permissions: permissionsOf(actor), environments: [] }, recent: [], vms: [], locks: mine(count, long) });
      expect(homeProblems(home as never)).toEqual([]);
    }
  });
});
