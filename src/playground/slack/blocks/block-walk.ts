// Where interactive elements live inside Block Kit blocks.
import { isJsonObject, type SlackBlock, type SlackElement } from "../json-types.js";

export interface LocatedElement {
  block: SlackBlock;
  element: SlackElement;
}

/** Every element a user can interact with: section accessories, actions elements, input elements. */
export function elementsOf(block: SlackBlock): SlackElement[] {
  const found: unknown[] = [];
  if (block.type === "section" && block.accessory !== undefined) found.push(block.accessory);
  if (block.type === "actions" && Array.isArray(block.elements)) found.push(...block.elements);
  if (block.type === "input" && block.element !== undefined) found.push(block.element);
  return found.filter((element): element is SlackElement => isJsonObject(element) && typeof element.type === "string");
}

export function* walkElements(blocks: readonly SlackBlock[]): Generator<LocatedElement> {
  for (const block of blocks) for (const element of elementsOf(block)) yield { block, element };
}

/** Finds an element by action_id (and block_id when action ids repeat across blocks). */
export function findElement(blocks: readonly SlackBlock[], actionId: string, blockId?: string): LocatedElement | undefined {
  const matches = [...walkElements(blocks)].filter(({ block, element }) => element.action_id === actionId && (blockId === undefined || block.block_id === blockId));
  if (matches.length > 1) throw new Error(`action_id "${actionId}" appears in ${matches.length} blocks; pass blockId to choose`);
  return matches[0];
}

export function blocksOf(value: unknown): SlackBlock[] {
  return Array.isArray(value) ? value.filter((block): block is SlackBlock => isJsonObject(block) && typeof block.type === "string") : [];
}
