import { permissionsOf } from "../../../src/services/policy.js";
import { describe, expect, it } from "vitest";
import type { Role } from "../../../src/services/actor.js";
import type { SnapshotView } from "../../../src/services/snapshot-service.js";
import { ACTION } from "../../../src/slack/ids.js";
import {
  SNAPSHOT_PAGE_SIZE,
  decodeSnapshotListState,
  encodeSnapshotListState,
  renderRestoreMessage,
  renderSnapshotList,
  renderSnapshotOutcome,
  snapshotListStateIn,
  type SnapshotListView,
} from "../../../src/slack/views/snapshots.js";
import { buttonsNamed, messageProblems } from "./slack-limits.js";

const VM = { id: 7, name: "web-01", status: "running" as const };
const LONG = "x".repeat(5000);

function snapshots(count: number, name = (index: number) => `snap-${index}`): SnapshotView[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 1000 + index,
    vmId: VM.id,
    vmName: VM.name,
    name: name(index),
    status: "available",
    sizeGb: index % 3 === 0 ? null : 12.5,
    createdAt: new Date(Date.UTC(2026, 10, 1) - index * 3_600_000),
    createdBy: index % 2 ? "U0ALICE001" : null,
  }));
}

function render(overrides: Partial<SnapshotListView> & { count?: number } = {}) {
  const { count = 3, ...view } = overrides;
  return renderSnapshotList({ vm: VM, snapshots: snapshots(count), permissions: permissionsOf(actorWithRole("operator")), ...view });
}

const rowIds = (blocks: unknown[]) =>
  (blocks as { block_id?: string }[]).flatMap((block) => (block.block_id?.startsWith("snapshot_row:") ? [Number(block.block_id.slice(13))] : []));

describe("snapshot list message", () => {
  it.each([0, 1, 10, 11, 5000])("stays inside Slack's limits with %i snapshots, for every role", (count) => {
    for (const role of ["viewer", "operator", "admin"] as Role[]) {
      const message = render({ count, permissions: permissionsOf(actorWithRole(role)) });
      expect(messageProblems(message)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(rowIds(message.blocks)).toHaveLength(Math.min(count, SNAPSHOT_PAGE_SIZE));
    }
  });

  it("stays inside the limits with very long VM and snapshot names", () => {
    const message = renderSnapshotList({
      vm: { ...VM, name: `${LONG}<&>` },
      snapshots: snapshots(11, (index) => `${"s".repeat(4000)}-${index}&<>`),
      permissions: permissionsOf(actorWithRole("admin")),
      notice: LONG,
      restore: { snapshotName: LONG, requestedBy: "U0ALICE001", steps: ["stopping", "restoring"], failure: LONG },
    });
    expect(messageProblems(message)).toEqual([]);
  });

  it("keeps the channel's restore and snapshot outcome messages inside the limits, without controls", () => {
    const restore = renderRestoreMessage(`${LONG}<&>`, { snapshotName: LONG, requestedBy: "U0ALICE001", steps: ["stopping", "restoring"], failure: LONG });
    const taken = renderSnapshotOutcome(`:camera_with_flash: ${LONG}`);
    for (const message of [restore, taken]) {
      expect(messageProblems(message)).toEqual([]);
      expect(JSON.stringify(message.blocks)).not.toContain("action_id");
    }
    expect(restore.text).toMatch(/^:x: Restore of x+/);
  });

  it("shows an empty state, with a create button only for those who may create", () => {
    const operator = render({ count: 0 });
    expect(JSON.stringify(operator.blocks)).toContain("No snapshots of *web-01* yet.");
    expect(buttonsNamed(operator.blocks, ACTION.snapshotOpenCreate)).toEqual([expect.objectContaining({ value: "7" })]);
    expect(buttonsNamed(render({ count: 0, permissions: permissionsOf(actorWithRole("viewer")) }).blocks, ACTION.snapshotOpenCreate)).toEqual([]);
  });

  it("gives viewers no Restore, Delete or Create controls, only paging and Refresh", () => {
    const message = render({ count: 11, permissions: permissionsOf(actorWithRole("viewer")) });
    for (const action of [ACTION.snapshotRestore, ACTION.snapshotDelete, ACTION.snapshotOpenCreate]) expect(buttonsNamed(message.blocks, action)).toEqual([]);
    expect(buttonsNamed(message.blocks, ACTION.snapshotNext)).toHaveLength(1);
    expect(buttonsNamed(message.blocks, ACTION.snapshotRefresh)).toHaveLength(1);
  });

  it("gives operators Restore and Delete on each available snapshot of the page, valued by snapshot id", () => {
    const message = render({ count: 11 });
    const restore = buttonsNamed(message.blocks, ACTION.snapshotRestore);
    const remove = buttonsNamed(message.blocks, ACTION.snapshotDelete);
    expect(restore.map((button) => button.value)).toEqual(snapshots(10).map((snapshot) => String(snapshot.id)));
    expect(remove.map((button) => button.value)).toEqual(snapshots(10).map((snapshot) => String(snapshot.id)));
  });

  it("offers Restore only on available snapshots and Delete not while deleting or restoring", () => {
    const list = snapshots(5);
    const statuses = ["creating", "restoring", "deleting", "error", "available"] as const;
    statuses.forEach((status, index) => (list[index]!.status = status));
    const message = renderSnapshotList({ vm: VM, snapshots: list, permissions: permissionsOf(actorWithRole("admin")) });
    expect(buttonsNamed(message.blocks, ACTION.snapshotRestore).map((button) => button.value)).toEqual(["1004"]);
    expect(buttonsNamed(message.blocks, ACTION.snapshotDelete).map((button) => button.value)).toEqual(["1000", "1003", "1004"]);
  });

  it("names the VM and the snapshot in the confirm dialogs, even when the names are very long", () => {
    const vmName = `vm-${"v".repeat(300)}`;
    const message = renderSnapshotList({ vm: { ...VM, name: vmName }, snapshots: snapshots(1, () => `snap-${"s".repeat(300)}`), permissions: permissionsOf(actorWithRole("admin")) });
    for (const action of [ACTION.snapshotRestore, ACTION.snapshotDelete]) {
      const [button] = buttonsNamed(message.blocks, action);
      const confirm = button!.confirm as { text: { text: string }; confirm: { text: string }; style: string };
      expect(confirm.text.text).toContain(`*${vmName.slice(0, 59)}…*`);
      expect(confirm.text.text).toContain(`*snap-${"s".repeat(54)}…*`);
      expect(confirm.text.text.length).toBeLessThanOrEqual(300);
      expect(confirm.style).toBe("danger");
    }
    const short = render({ count: 1 });
    const [restore] = buttonsNamed(short.blocks, ACTION.snapshotRestore);
    expect((restore!.confirm as { text: { text: string } }).text.text).toMatch(/^Restore \*web-01\* from snapshot \*snap-0\*\?/);
  });

  it("escapes names in mrkdwn", () => {
    const message = renderSnapshotList({ vm: { ...VM, name: "a<b>&c" }, snapshots: snapshots(1, () => "<!channel>"), permissions: permissionsOf(actorWithRole("admin")) });
    const text = JSON.stringify(message.blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("a&lt;b&gt;&amp;c");
  });

  it("pages by ten: Older and Newer carry the page they lead to, and it round-trips", () => {
    const first = render({ count: 25 });
    expect(buttonsNamed(first.blocks, ACTION.snapshotPrevious)).toEqual([]);
    const next = decodeSnapshotListState(buttonsNamed(first.blocks, ACTION.snapshotNext)[0]!.value as string);
    expect(next).toEqual({ vm: 7, o: 10 });

    const second = render({ count: 25, offset: next.o });
    expect(rowIds(second.blocks)).toEqual(snapshots(25).slice(10, 20).map((snapshot) => snapshot.id));
    expect(decodeSnapshotListState(buttonsNamed(second.blocks, ACTION.snapshotPrevious)[0]!.value as string)).toEqual({ vm: 7, o: 0 });
    expect(snapshotListStateIn(second.blocks)).toEqual({ vm: 7, o: 10 });

    const last = render({ count: 25, offset: 20 });
    expect(rowIds(last.blocks)).toHaveLength(5);
    expect(buttonsNamed(last.blocks, ACTION.snapshotNext)).toEqual([]);
  });

  it("has no Older button at exactly one full page, and one at eleven", () => {
    expect(buttonsNamed(render({ count: 10 }).blocks, ACTION.snapshotNext)).toEqual([]);
    expect(buttonsNamed(render({ count: 11 }).blocks, ACTION.snapshotNext)).toHaveLength(1);
  });

  it("falls back to the last page when the list shrank under the page shown", () => {
    const message = render({ count: 12, offset: 40 });
    expect(rowIds(message.blocks)).toEqual([1010, 1011]);
    expect(snapshotListStateIn(message.blocks)).toEqual({ vm: 7, o: 10 });
  });

  it("keeps list state values small and refuses tampered ones", () => {
    expect(encodeSnapshotListState({ vm: 2_147_483_647, o: 1_000_000 }).length).toBeLessThan(100);
    expect(() => decodeSnapshotListState("not json")).toThrow(/out of date/);
    expect(() => decodeSnapshotListState(JSON.stringify({ vm: -1, o: 0 }))).toThrow(/out of date/);
  });

  describe("while a restore runs", () => {
    const restoring = { snapshotName: "snap-1", requestedBy: "U0BOB00001", steps: ["stopping", "restoring"] as const };

    it("shows the steps so far and hides every control but paging and Refresh", () => {
      const message = render({ count: 3, permissions: permissionsOf(actorWithRole("admin")), restore: { ...restoring, steps: [...restoring.steps] } });
      const progress = JSON.stringify(message.blocks[2]);
      expect(progress).toContain("Restoring web-01 from snap-1");
      expect(progress).toContain(":white_check_mark: VM stopped");
      expect(progress).toContain(":hourglass_flowing_sand: restoring the disk…");
      expect(progress).toContain("<@U0BOB00001>");
      for (const action of [ACTION.snapshotRestore, ACTION.snapshotDelete, ACTION.snapshotOpenCreate]) expect(buttonsNamed(message.blocks, action)).toEqual([]);
      expect(buttonsNamed(message.blocks, ACTION.snapshotRefresh)).toHaveLength(1);
    });

    it("shows the outcome when done, and the controls again", () => {
      const message = render({ count: 3, permissions: permissionsOf(actorWithRole("admin")), restore: { ...restoring, steps: ["stopping", "restoring", "starting", "done"] } });
      const progress = JSON.stringify(message.blocks[2]);
      expect(progress).toContain("Restored web-01 from snap-1");
      expect(progress).toContain("VM started");
      expect(progress).not.toContain("hourglass");
      expect(buttonsNamed(message.blocks, ACTION.snapshotRestore)).toHaveLength(3);
    });

    it("shows the failure and the step it failed at", () => {
      const message = render({ count: 3, permissions: permissionsOf(actorWithRole("admin")), restore: { ...restoring, steps: ["restoring"], failure: ":warning: The cloud said <no>." } });
      const progress = JSON.stringify(message.blocks[2]);
      expect(progress).toContain("Restore of web-01 from snap-1 failed");
      expect(progress).toContain(":x: restoring the disk");
      expect(progress).toContain("The cloud said &lt;no&gt;.");
      expect(buttonsNamed(message.blocks, ACTION.snapshotRestore)).toHaveLength(3);
    });
  });
});

function actorWithRole(role: Role) {
  return { role, active: true, envAdmin: false, environments: {} };
}
