// Replies about the user themself: whoami, and the same "what you may do where" lines on the App Home.
import type { Permission } from "../../services/policy.js";
import type { WhoAmI } from "../../services/user-service.js";
import { LIMITS, escapeMrkdwn, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const listed = (permissions: readonly Permission[]) => permissions.map((permission) => permission.replace(/_/g, " ")).join(", ") || "nothing";

/** What the user may do on the platform and in each environment they hold access to, one line each. */
export function permissionLines(me: Pick<WhoAmI, "actor" | "permissions" | "environments">): string[] {
  if (me.actor.role === "admin") return ["As a global admin you may do everything, in every environment."];
  const lines = [`Outside environments you may: ${listed(me.permissions)}.`];
  for (const environment of me.environments) {
    lines.push(`In *${escapeMrkdwn(truncate(environment.name, 100))}* (${environment.level}) you may: ${listed(environment.permissions)}.`);
  }
  if (!me.environments.length) lines.push("You have no access to any environment yet: `/vm env request <env> <viewer|user|admin> <why>`.");
  return lines;
}

export function renderWhoami(me: WhoAmI): SlackMessage {
  const text = `You are <@${me.actor.slackUserId}>, role *${me.actor.role}*${me.actor.envAdmin ? " (may be made an environment admin)" : ""}.`;
  const session = me.lastLoginAt ? `Session since ${slackDate(me.lastLoginAt)}.` : "";
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "section", text: { type: "mrkdwn", text: truncate(permissionLines(me).join("\n"), LIMITS.sectionText) } },
      ...(session ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: session }] }] : []),
    ],
  };
}
