// The Block Kit rules Slack enforces at post time that bots most often trip over.
// Slack answers these with invalid_blocks (messages) or invalid_arguments (views).
import { isJsonObject, type SlackBlock } from "../json-types.js";
import { elementsOf, walkElements } from "./block-walk.js";

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

/** Returns Slack-style "[ERROR]" detail lines; empty when the blocks are acceptable. */
export function blockProblems(blocks: unknown, maxBlocks: number, pointer: string): string[] {
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`must provide at most ${maxBlocks} items [json-pointer:${pointer}]`);
  const seenBlockIds = new Set<string>();
  blocks.forEach((block, index) => {
    if (!isJsonObject(block) || typeof block.type !== "string") {
      problems.push(`missing required field: type [json-pointer:${pointer}/${index}]`);
      return;
    }
    if (typeof block.block_id === "string") {
      if (seenBlockIds.has(block.block_id)) problems.push(`duplicate block_id "${block.block_id}" [json-pointer:${pointer}/${index}/block_id]`);
      seenBlockIds.add(block.block_id);
    }
    const actionIds = elementsOf(block as SlackBlock).map((element) => element.action_id).filter((id) => typeof id === "string");
    const repeated = actionIds.find((id, position) => actionIds.indexOf(id) !== position);
    if (repeated !== undefined) problems.push(`duplicate action_id "${String(repeated)}" within one block [json-pointer:${pointer}/${index}]`);
  });
  for (const { block, element } of walkElements(blocks as SlackBlock[])) {
    if (element.type === "button" && !isJsonObject(element.text)) problems.push(`button in block "${String(block.block_id)}" has no text`);
  }
  return problems;
}
