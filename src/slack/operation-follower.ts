// After a batch action is accepted: follow it in the background and keep its outcome message (the one
// posted in the channel) up to date until every VM has reached its target state or failed. The lookup
// it was started from, private to the clicker, is redrawn once more when it settles (`whenSettled`):
// the live progress belongs to the channel message, not to each clicker's list.
import type { WebClient } from "@slack/web-api";
import type { RequestContext } from "../services/actor.js";
import { getProgressFor, type OperationProgress } from "../services/operation-service.js";
import { throttled } from "./background.js";
import type { SlackDeps } from "./deps.js";
import type { InteractionArgs } from "./interaction.js";
import { postOutcome, updateWorkMessage, type MessageRef } from "./messages.js";
import { renderOperationMessage } from "./views/operation-message.js";
import type { SlackMessage } from "./views/vm-list.js";

export function followOperation(
  deps: SlackDeps,
  client: WebClient,
  operationId: number,
  /** The message showing the progress; none when Slack would not take it (the operation is followed all the same). */
  target: MessageRef | undefined,
  render: (progress: OperationProgress) => Promise<SlackMessage>,
  whenSettled?: (final: OperationProgress) => Promise<void>,
  /** The progress just read and shown, if any: the tracker starts from it. */
  initial?: OperationProgress,
): void {
  deps.background.run(`operation ${operationId}`, async () => {
    let lastHeadline = "";
    const updates = throttled<OperationProgress>(deps.progressIntervalMs, async (progress) => {
      if (!target) return;
      await updateWorkMessage(client, target, await render(progress)).catch((error) =>
        deps.logger.warn({ err: error, operationId }, "could not update the progress message"),
      );
    });
    const final = await deps.services.vmActions.trackOperation(operationId, {
      initial,
      onProgress: async (progress) => {
        const headline = `${progress.atTarget}/${progress.failed}/${progress.vms.map((vm) => vm.vmStatus).join()}`;
        if (headline === lastHeadline) return; // nothing visible changed
        lastHeadline = headline;
        await updates.push(progress);
      },
    });
    await updates.push(final);
    await updates.flush();
    await whenSettled?.(final).catch((error) => deps.logger.warn({ err: error, operationId }, "could not redraw the list an action came from"));
  });
}

/**
 * Posts the outcome of an accepted batch action in the channel it was asked in ("who did what to which
 * VMs") and follows it there; where the bot cannot post, in the user's DM, and the user is told.
 */
export async function announceOperation(
  deps: SlackDeps,
  args: InteractionArgs,
  ctx: RequestContext,
  operationId: number,
  channel: string | undefined,
  whenSettled?: (final: OperationProgress) => Promise<void>,
  /** The operation's progress as the caller just read it for this user (`getProgressFor`), if it did. */
  progress?: OperationProgress,
): Promise<MessageRef> {
  const render = async (progress: OperationProgress) => renderOperationMessage(progress, ctx.actor.slackUserId);
  const shown = progress ?? (await getProgressFor(deps.services, ctx, operationId));
  const first = await render(shown);
  let posted: MessageRef;
  try {
    posted = await postOutcome(args, channel, ctx.actor.slackUserId, first);
  } catch (error) {
    // The VMs were asked already: follow them to their end even though Slack refused the message,
    // or they would show "starting" until the lease expires and another pass takes the operation over.
    followOperation(deps, args.client, operationId, undefined, render, whenSettled, shown);
    throw error;
  }
  followOperation(deps, args.client, operationId, posted, render, whenSettled, shown);
  return posted;
}
