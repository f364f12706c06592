// A notification as its reader sees it: the DM (with the buttons of what they can do about it) and the
// App Home / `/vm notifications` list rows. Pure: data in, Block Kit out.
import type { Button, KnownBlock, ModalView } from "@slack/types";
import { ValidationError } from "../../services/errors.js";
import type { NotificationVerb } from "../../services/notifications/notification-kinds.js";
import type { NotificationView } from "../../services/notifications/notification-service.js";
import { ACTION, INPUT, VIEW, notificationActionId } from "../ids.js";
import { LIMITS, chunk, escapeMrkdwn, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const SEVERITY_EMOJI: Record<string, string> = { info: ":information_source:", warning: ":warning:", critical: ":rotating_light:" };

const VERB_BUTTON: Record<NotificationVerb, { text: string; style?: "primary" | "danger" }> = {
  access_approve: { text: "Approve", style: "primary" },
  access_deny: { text: "Deny", style: "danger" },
  access_extend: { text: "Request an extension" },
  lock_extend: { text: "Extend" },
  lock_release: { text: "Release", style: "danger" },
  lock_take: { text: "Take the lock", style: "primary" },
  drift_adopt: { text: "Adopt", style: "primary" },
  drift_revert: { text: "Revert" },
  drift_ignore: { text: "Ignore this VM" },
  open_environment: { text: "Open environment" },
  open_vm: { text: "Open VM" },
};

export function notificationText(notification: Pick<NotificationView, "severity" | "payload">): string {
  return `${SEVERITY_EMOJI[notification.severity] ?? ""} ${notification.payload.text}`.trim();
}

function factsLine(facts: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(facts ?? {});
  return entries.length ? entries.map(([label, value]) => `*${escapeMrkdwn(label)}:* ${escapeMrkdwn(value)}`).join("  ·  ") : undefined;
}

/** The DM: what happened, its facts, and its buttons until the matter is settled (then the resolution). */
export function renderNotificationMessage(notification: NotificationView): SlackMessage {
  const { payload } = notification;
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: truncate(escapeMrkdwn(notificationText(notification)), LIMITS.sectionText) } }];
  const facts = factsLine(payload.facts);
  if (facts) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(facts, LIMITS.sectionText) }] });
  if (payload.resolution) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(`:white_check_mark: ${escapeMrkdwn(payload.resolution)}`, LIMITS.sectionText) }] });
  } else if (payload.actions?.length) {
    blocks.push({ type: "actions", block_id: `notification:${notification.id}`, elements: payload.actions.slice(0, LIMITS.actionsElements).map((action) => verbButton(action.verb, action.value)) });
  }
  return { text: truncate(notificationText(notification), LIMITS.messageText), blocks };
}

function verbButton(verb: NotificationVerb, value: string): Button {
  const { text, style } = VERB_BUTTON[verb];
  return { type: "button", action_id: notificationActionId(verb), text: { type: "plain_text", text }, value: truncate(value, LIMITS.buttonValue), ...(style ? { style } : {}) };
}

/** Which list a row's Mark read / Dismiss came from, so the click redraws the same list. */
export type NotificationListScope = "home" | "unread" | "all";

export function notificationButtonValue(id: number, scope: NotificationListScope): string {
  return `${id}:${scope}`;
}

export function parseNotificationButtonValue(value: string): { id: number; scope: NotificationListScope } {
  const [id, scope] = value.split(":");
  const number = Number(id);
  if (!Number.isSafeInteger(number) || number <= 0) throw new ValidationError("That button no longer points at a notification.");
  return { id: number, scope: scope === "all" || scope === "unread" ? scope : "home" };
}

/** List rows (App Home, `/vm notifications`): unread ones marked *New*, each with Mark read / Dismiss. */
export function renderNotificationRows(items: readonly NotificationView[], scope: NotificationListScope): KnownBlock[] {
  return items.flatMap((item): KnownBlock[] => {
    const line = `${item.readAt ? "" : "*New* · "}${escapeMrkdwn(notificationText(item))}\n${slackDate(item.createdAt)}${item.payload.resolution ? ` · ${escapeMrkdwn(item.payload.resolution)}` : ""}`;
    const value = notificationButtonValue(item.id, scope);
    const buttons: Button[] = [
      ...(item.payload.resolution ? [] : (item.payload.actions ?? []).slice(0, 3).map((action) => verbButton(action.verb, action.value))),
      ...(item.readAt ? [] : [{ type: "button" as const, action_id: ACTION.notificationRead, text: { type: "plain_text" as const, text: "Mark read" }, value }]),
      { type: "button", action_id: ACTION.notificationDismiss, text: { type: "plain_text", text: "Dismiss" }, value },
    ];
    return [
      { type: "section", block_id: `notification_row:${item.id}`, text: { type: "mrkdwn", text: truncate(line, LIMITS.sectionText) } },
      { type: "actions", block_id: `notification_actions:${item.id}`, elements: buttons },
    ];
  });
}

/** Mark all read (when something is unread) and the settings modal. */
export function notificationListButtons(unread: number, scope: NotificationListScope): KnownBlock {
  return {
    type: "actions",
    block_id: `notification_list:${scope}`,
    elements: [
      ...(unread ? [{ type: "button" as const, action_id: ACTION.notificationReadAll, text: { type: "plain_text" as const, text: "Mark all read" }, value: scope }] : []),
      { type: "button", action_id: ACTION.notificationPreference, text: { type: "plain_text", text: "Notification settings" }, value: scope },
    ],
  };
}

/** Most rows `/vm notifications` shows (two blocks each; a message holds 50). */
export const NOTIFICATION_LIST_LIMIT = 20;

/** `/vm notifications [all]`: the unread ones (or every one not dismissed), newest first. */
export function renderNotificationList(list: { items: readonly NotificationView[]; unread: number }, scope: "unread" | "all"): SlackMessage {
  const items = list.items.slice(0, NOTIFICATION_LIST_LIMIT);
  const summary = `${list.unread} unread${scope === "all" ? ` · the latest ${items.length} not dismissed` : ""}`;
  const empty = scope === "all" ? "No notifications." : "Nothing unread. `/vm notifications all` shows the ones you have read.";
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Notifications" } },
    { type: "context", elements: [{ type: "mrkdwn", text: summary }] },
    ...(items.length ? renderNotificationRows(items, scope) : [{ type: "section" as const, text: { type: "mrkdwn" as const, text: empty } }]),
    notificationListButtons(list.unread, scope),
  ];
  return { text: `Notifications: ${summary}`, blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}

/** The settings modal: per kind, a DM or only the App Home list. Checkbox groups hold 10 options each. */
export function renderNotificationSettingsModal(preferences: readonly { kind: string; label: string; dm: boolean }[]): ModalView {
  const option = (preference: { kind: string; label: string }) => ({ text: { type: "plain_text" as const, text: truncate(preference.label, LIMITS.optionText) }, value: preference.kind });
  const groups = chunk(preferences, LIMITS.checkboxOptions);
  return {
    type: "modal",
    callback_id: VIEW.notificationSettings,
    title: { type: "plain_text", text: "Notifications" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: "Ticked kinds come to you as a direct message. Every notification is listed in App Home and in `/vm notifications` either way." } },
      ...groups.map((group, index): KnownBlock => {
        const ticked = group.filter((preference) => preference.dm);
        return {
          type: "input",
          block_id: `${INPUT.notificationDm.block}:${index}`,
          optional: true,
          label: { type: "plain_text", text: index === 0 ? "Send me a DM for" : "and for" },
          element: { type: "checkboxes", action_id: INPUT.notificationDm.action, options: group.map(option), ...(ticked.length ? { initial_options: ticked.map(option) } : {}) },
        };
      }),
    ],
  };
}

/** The kinds ticked in a submitted settings modal (every checkbox group). */
export function tickedKinds(values: Record<string, Record<string, { selected_options?: { value: string }[] | null }>>): Set<string> {
  const ticked = new Set<string>();
  for (const [blockId, actions] of Object.entries(values)) {
    if (!blockId.startsWith(`${INPUT.notificationDm.block}:`)) continue;
    for (const option of actions[INPUT.notificationDm.action]?.selected_options ?? []) ticked.add(option.value);
  }
  return ticked;
}
