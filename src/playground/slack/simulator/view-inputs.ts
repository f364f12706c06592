// Reading a modal's inputs the way Slack's client does before and while submitting it.
import type { JsonObject } from "../json-types.js";
import { elementsOf } from "../blocks/block-walk.js";
import { isEmptyStateValue, isStatefulElement } from "../blocks/element-values.js";
import type { SlackView } from "../state/view-registry.js";

/** Required input blocks left empty: Slack's client refuses to submit and marks them. */
export function emptyRequiredInputs(view: SlackView): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const block of view.blocks) {
    if (block.type !== "input" || block.optional === true || typeof block.block_id !== "string") continue;
    const element = elementsOf(block)[0];
    if (!element || !isStatefulElement(element) || typeof element.action_id !== "string") continue;
    if (isEmptyStateValue(view.state.values[block.block_id]?.[element.action_id])) errors[block.block_id] = "Please complete this required field.";
  }
  return errors;
}

/** Conversation pickers with response_url_enabled: Slack issues a response_url for the chosen conversation. */
export function responseUrlRequests(view: SlackView): { blockId: string; actionId: string; channelId: string }[] {
  const requests: { blockId: string; actionId: string; channelId: string }[] = [];
  for (const block of view.blocks) {
    if (block.type !== "input" || typeof block.block_id !== "string") continue;
    const element = elementsOf(block)[0] as JsonObject | undefined;
    if (!element || element.response_url_enabled !== true || typeof element.action_id !== "string") continue;
    const value = view.state.values[block.block_id]?.[element.action_id];
    const channelId = value?.selected_conversation ?? value?.selected_channel;
    if (typeof channelId === "string") requests.push({ blockId: block.block_id, actionId: element.action_id, channelId });
  }
  return requests;
}
