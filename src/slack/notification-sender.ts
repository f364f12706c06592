// Delivers notifications as DMs (conversations.open + chat.postMessage, chat.update to redraw). Its own
// WebClient without built-in retries: the notification outbox retries with backoff, and a rate limit answers
// at once with Slack's Retry-After instead of holding the delivery loop.
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Deliverable, NotificationSender, RetryAfter } from "../services/notifications/notification-service.js";
import { renderNotificationMessage } from "./views/notifications.js";

export function slackNotificationSender(connection: { botToken: string; apiUrl?: string }, options: WebClientOptions = {}): NotificationSender {
  const client = new WebClient(connection.botToken, {
    ...(connection.apiUrl ? { slackApiUrl: connection.apiUrl.endsWith("/") ? connection.apiUrl : `${connection.apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    ...options,
  });
  const withRetryAfter = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (typeof retryAfter === "number") Object.assign(error as object, { retryAfterSeconds: retryAfter } satisfies RetryAfter);
      throw error;
    }
  };
  return {
    async send(notification: Deliverable) {
      const message = renderNotificationMessage(notification);
      const opened = await withRetryAfter(() => client.conversations.open({ users: notification.slackUserId }));
      const channel = opened.channel?.id;
      if (!channel) throw new Error("Slack did not open a DM channel");
      const posted = await withRetryAfter(() => client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false }));
      return { channel, ts: posted.ts! };
    },
    async update(where, notification) {
      const message = renderNotificationMessage(notification);
      await withRetryAfter(() => client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks }));
    },
  };
}
