// A notification as its reader sees it: the DM (with the buttons of what they can do about it) and the
// App Home / `/vm notifications` list rows. Pure: data in, Block Kit out.
import type { Button, KnownBlock } from "@slack/types";
import type { NotificationVerb } from "../../services/notifications/notification-kinds.js";
import type { NotificationView } from "../../services/notifications/notification-service.js";
import { ACTION, notificationActionId } from "../ids.js";
import { LIMITS, escapeMrkdwn, slackDate, truncate } from "./limits.js";
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

/** List rows (App Home, `/vm notifications`): unread ones bold, each with Mark read / Dismiss. */
export function renderNotificationRows(items: readonly NotificationView[]): KnownBlock[] {
  return items.flatMap((item): KnownBlock[] => {
    const line = `${item.readAt ? "" : "*New* · "}${escapeMrkdwn(notificationText(item))}\n${slackDate(item.createdAt)}${item.payload.resolution ? ` · ${escapeMrkdwn(item.payload.resolution)}` : ""}`;
    const buttons: Button[] = [
      ...(item.payload.resolution ? [] : (item.payload.actions ?? []).slice(0, 3).map((action) => verbButton(action.verb, action.value))),
      ...(item.readAt ? [] : [{ type: "button" as const, action_id: ACTION.notificationRead, text: { type: "plain_text" as const, text: "Mark read" }, value: String(item.id) }]),
      { type: "button", action_id: ACTION.notificationDismiss, text: { type: "plain_text", text: "Dismiss" }, value: String(item.id) },
    ];
    return [
      { type: "section", block_id: `notification_row:${item.id}`, text: { type: "mrkdwn", text: truncate(line, LIMITS.sectionText) } },
      { type: "actions", block_id: `notification_actions:${item.id}`, elements: buttons },
    ];
  });
}
