// After a global admin forced or overrode an environment run: a DM to each of the environment's admins
// (the service says who), so nobody learns of it from the audit log alone. Best effort: a DM that
// cannot be sent is logged, the run goes on.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import type { EnvironmentNotice } from "../services/environments/environment-service.js";
import type { EnvironmentAction } from "../services/environments/plan.js";
import { escapeMrkdwn } from "./views/limits.js";

export function describeNotice(notice: EnvironmentNotice, actorSlackId: string, environment: string, action: EnvironmentAction, operationId: number): string {
  const what = notice.kind === "force" ? `forced a stop of *${escapeMrkdwn(environment)}* (every VM at once, not in reverse order)` : `started *${escapeMrkdwn(environment)}* overriding its dependencies (every VM at once)`;
  return `:warning: <@${actorSlackId}> ${what} · run #${operationId} (${action}).\nReason: ${escapeMrkdwn(notice.reason)}`;
}

export async function notifyEnvironmentAdmins(client: WebClient, logger: Logger, notice: EnvironmentNotice, text: string): Promise<void> {
  for (const user of notice.slackUserIds) {
    try {
      const opened = await client.conversations.open({ users: user });
      await client.chat.postMessage({ channel: opened.channel!.id!, text });
    } catch (error) {
      logger.warn({ err: error, user }, "could not tell an environment admin about a forced run");
    }
  }
}
