// Replies about the user themself: whoami.
import type { Actor } from "../../services/actor.js";
import type { Permission } from "../../services/policy.js";
import { slackDate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

export function renderWhoami(me: { actor: Actor; lastLoginAt: Date | null; permissions: Permission[] }): SlackMessage {
  const allowed = me.permissions.map((permission) => permission.replace(/_/g, " ")).join(", ");
  const text = `You are <@${me.actor.slackUserId}>, role *${me.actor.role}*.`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `You may: ${allowed}.${me.lastLoginAt ? `  Session since ${slackDate(me.lastLoginAt)}.` : ""}` }],
      },
    ],
  };
}
