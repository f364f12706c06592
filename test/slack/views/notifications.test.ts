// Notifications as their reader sees them: the App Home section (latest five, New on unread ones, Mark read /
// Dismiss, Mark all read, settings), the `/vm notifications` list, the DM and the settings modal; all inside
// Slack's limits however many and however long they are.
import { describe, expect, it } from "vitest";
import { NOTIFICATION_KIND_NAMES, NOTIFICATION_KINDS, NOTIFICATION_VERBS } from "../../../src/services/notifications/notification-kinds.js";
import type { NotificationView } from "../../../src/services/notifications/notification-service.js";
import { permissionsOf } from "../../../src/services/policy.js";
import { ACTION, INPUT } from "../../../src/slack/ids.js";
import { HOME_NOTIFICATION_LIMIT, renderHome } from "../../../src/slack/views/home.js";
import {
  NOTIFICATION_LIST_LIMIT,
  parseNotificationButtonValue,
  renderNotificationList,
  renderNotificationMessage,
  renderNotificationSettingsModal,
  tickedKinds,
} from "../../../src/slack/views/notifications.js";
import { auditEntries } from "./audit-fixtures.js";
import { allText, buttonsNamed, homeProblems, messageProblems, modalProblems } from "./slack-limits.js";

const actor = { userId: 1, teamId: "T0TEAM0001", slackUserId: "U0ALICE001", displayName: "alice", role: "operator" as const, active: true, envAdmin: false, environments: {} };

function notifications(count: number, options: { long?: boolean; readEvery?: number } = {}): NotificationView[] {
  return Array.from({ length: count }, (_, index) => ({
    id: count - index,
    kind: NOTIFICATION_KIND_NAMES[index % NOTIFICATION_KIND_NAMES.length]!,
    severity: "warning" as const,
    payload: {
      text: options.long ? `Start of ${"v".repeat(5000)} failed <&>` : `Start of vm-${index} failed`,
      facts: (options.long ? { VM: "x".repeat(5000), Reason: "r".repeat(5000) } : { VM: `vm-${index}` }) as Record<string, string>,
      actions: options.long ? NOTIFICATION_VERBS.map((verb) => ({ verb, value: "v".repeat(3000) })) : [],
    },
    link: {},
    createdAt: new Date(Date.UTC(2026, 10, 30, 10) - index * 60_000),
    readAt: options.readEvery && index % options.readEvery === 0 ? new Date(Date.UTC(2026, 10, 30, 11)) : null,
    delivered: true,
  }));
}

const home = (items: NotificationView[], unread = items.filter((item) => !item.readAt).length, environments = 0) =>
  renderHome({
    me: { actor, lastLoginAt: null, permissions: permissionsOf(actor), environments: [] },
    recent: auditEntries(5000, true),
    vms: [],
    environments: Array.from({ length: environments }, (_, index) => ({ id: index, name: `env-${index}`, description: null, running: 0, total: 1, lockedBy: null, lastRun: null, permissions: permissionsOf(actor) })),
    notifications: { items, unread },
  });

describe("notifications in App Home", () => {
  it.each([0, 1, 5, 6, 500])("stay inside Slack's limits with %i notifications, short or long, with every other section full", (count) => {
    expect(homeProblems(home(notifications(count).slice(0, HOME_NOTIFICATION_LIMIT), count, 500) as never)).toEqual([]);
    expect(homeProblems(home(notifications(count, { long: true }).slice(0, HOME_NOTIFICATION_LIMIT), count, 500) as never)).toEqual([]);
  });

  it("shows the latest ones with New on the unread, their buttons, and a pointer to the rest", () => {
    const items = notifications(8, { readEvery: 2 });
    const view = home(items.slice(0, HOME_NOTIFICATION_LIMIT), 4);
    const text = allText(view.blocks);
    expect(text).toContain("Notifications (4 unread)");
    expect(text).toContain("Start of vm-0 failed");
    expect(text).toContain("*New* · :warning: Start of vm-1 failed");
    expect(text).not.toContain("*New* · :warning: Start of vm-0 failed");
    expect(text).not.toContain("vm-5");
    // Mark read only on the unread ones; Dismiss on each; the values say which one, from the Home.
    expect(buttonsNamed(view.blocks, ACTION.notificationRead).map((button) => parseNotificationButtonValue(String(button.value)))).toEqual([
      { id: 7, scope: "home" },
      { id: 5, scope: "home" },
    ]);
    expect(buttonsNamed(view.blocks, ACTION.notificationDismiss)).toHaveLength(HOME_NOTIFICATION_LIMIT);
    expect(buttonsNamed(view.blocks, ACTION.notificationReadAll)).toHaveLength(1);
    expect(buttonsNamed(view.blocks, ACTION.notificationPreference)).toHaveLength(1);
    expect(text).toContain("4 unread  ·  `/vm notifications` lists them all");
  });

  it("comes before the long sections, so the 100-block budget never cuts it", () => {
    const view = home(notifications(5), 5, 500);
    expect(buttonsNamed(view.blocks, ACTION.notificationDismiss)).toHaveLength(5);
  });

  it("says so when there is nothing, and offers no Mark all read", () => {
    const view = home([], 0);
    expect(allText(view.blocks)).toContain("Nothing to tell you.");
    expect(buttonsNamed(view.blocks, ACTION.notificationReadAll)).toHaveLength(0);
    expect(buttonsNamed(view.blocks, ACTION.notificationPreference)).toHaveLength(1);
  });
});

describe("/vm notifications", () => {
  it.each([0, 1, NOTIFICATION_LIST_LIMIT, 500])("stays inside a message's limits with %i notifications", (count) => {
    expect(messageProblems(renderNotificationList({ items: notifications(count), unread: count }, "unread") as never)).toEqual([]);
    expect(messageProblems(renderNotificationList({ items: notifications(count, { long: true }), unread: count }, "all") as never)).toEqual([]);
  });

  it("remembers which list it is, so a click redraws the same one", () => {
    const list = renderNotificationList({ items: notifications(2, { readEvery: 2 }), unread: 1 }, "all");
    expect(buttonsNamed(list.blocks, ACTION.notificationDismiss).map((button) => parseNotificationButtonValue(String(button.value)).scope)).toEqual(["all", "all"]);
    expect(allText(list.blocks)).toContain("1 unread · the latest 2 not dismissed");
    expect(allText(renderNotificationList({ items: [], unread: 0 }, "unread").blocks)).toContain("Nothing unread.");
  });

  it("refuses a button value that names no notification", () => {
    expect(() => parseNotificationButtonValue("abc:home")).toThrow(/no longer points/);
    expect(() => parseNotificationButtonValue("-3:all")).toThrow(/no longer points/);
  });
});

describe("the DM", () => {
  it("stays inside a message's limits, escapes the text, and drops its buttons once resolved", () => {
    const [long] = notifications(1, { long: true });
    const message = renderNotificationMessage(long!);
    expect(messageProblems(message as never)).toEqual([]);
    const [short] = notifications(1);
    expect(allText(renderNotificationMessage({ ...short!, payload: { text: "a <b> & c" } }).blocks)).toContain("a &lt;b&gt; &amp; c");
    const resolved = renderNotificationMessage({ ...long!, payload: { ...long!.payload, resolution: "Approved by Ada" } });
    expect(allText(resolved.blocks)).toContain("Approved by Ada");
    expect(resolved.blocks.some((block) => block.type === "actions")).toBe(false);
  });
});

describe("the settings modal", () => {
  const preferences = NOTIFICATION_KIND_NAMES.map((kind, index) => ({ kind, label: NOTIFICATION_KINDS[kind].label, dm: index % 3 !== 0 }));

  it("has one checkbox per kind (groups of ten), ticked when it comes by DM, inside Slack's limits", () => {
    const modal = renderNotificationSettingsModal(preferences);
    expect(modalProblems(modal as never)).toEqual([]);
    const groups = modal.blocks.filter((block) => block.type === "input") as unknown as { block_id: string; element: { options: { value: string }[]; initial_options?: { value: string }[] } }[];
    expect(groups.flatMap((group) => group.element.options.map((option) => option.value))).toEqual(NOTIFICATION_KIND_NAMES);
    expect(groups.flatMap((group) => group.element.initial_options ?? []).map((option) => option.value)).toEqual(preferences.filter((preference) => preference.dm).map((preference) => preference.kind));
  });

  it("reads the ticked kinds back from every group", () => {
    const values: Parameters<typeof tickedKinds>[0] = {
      [`${INPUT.notificationDm.block}:0`]: { [INPUT.notificationDm.action]: { selected_options: [{ value: "access_granted" }] } },
      [`${INPUT.notificationDm.block}:1`]: { [INPUT.notificationDm.action]: { selected_options: [{ value: "admin_force_action" }] } },
      other: { whatever: { selected_options: [{ value: "lock_broken" }] } },
    };
    expect(tickedKinds(values)).toEqual(new Set(["access_granted", "admin_force_action"]));
  });
});
