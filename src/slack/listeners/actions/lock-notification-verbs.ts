// The buttons on lock notifications (DMs and App Home rows): Extend and Release on the holder's reminder, Take
// the lock on an offer. The value is the environment's name; each answers the clicker alone.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { RequestContext } from "../../../services/actor.js";
import type { SlackDeps } from "../../deps.js";
import { notificationActionId } from "../../ids.js";
import { runInteraction } from "../../interaction.js";
import { replyEphemeral } from "../../replies.js";
import { escapeMrkdwn, slackDate } from "../../views/limits.js";

const environmentName = z.string().min(1).max(100);

const VERBS: Record<"lock_extend" | "lock_release" | "lock_take", (deps: SlackDeps, ctx: RequestContext, environment: string) => Promise<string>> = {
  async lock_extend(deps, ctx, environment) {
    const lock = await deps.services.locks.extend(ctx, environment);
    return `:lock: You keep *${escapeMrkdwn(environment)}*${lock.expiresAt ? ` until ${slackDate(lock.expiresAt)}` : ""}.`;
  },
  async lock_release(deps, ctx, environment) {
    await deps.services.locks.release(ctx, environment);
    return `:unlock: You released *${escapeMrkdwn(environment)}*.`;
  },
  async lock_take(deps, ctx, environment) {
    const lock = await deps.services.locks.acquire(ctx, environment);
    return `:lock: *${escapeMrkdwn(environment)}* is yours${lock.expiresAt ? ` until ${slackDate(lock.expiresAt)}` : ""}. Release it with \`/vm env unlock ${escapeMrkdwn(environment)}\`.`;
  },
};

export function register(app: App, deps: SlackDeps): void {
  for (const [verb, run] of Object.entries(VERBS)) {
    app.action<BlockAction<ButtonAction>>(notificationActionId(verb as keyof typeof VERBS), async (args) => {
      await args.ack();
      await runInteraction(deps, args, "slack_button", async (ctx) => {
        await replyEphemeral(args, await run(deps, ctx, environmentName.parse(args.action.value)));
      });
    });
  }
}
