// Slack fills in a block_id for every block and an action_id for every interactive element the app
// left without one, and sends those ids back in payloads; the stand-in does the same.
import { createHash } from "node:crypto";
import type { SlackBlock } from "../json-types.js";
import { elementsOf } from "./block-walk.js";

export function normalizeBlocks(blocks: readonly SlackBlock[]): SlackBlock[] {
  const copy = structuredClone(blocks) as SlackBlock[];
  const taken = new Set(copy.map((block) => block.block_id).filter((id): id is string => typeof id === "string"));
  copy.forEach((block, index) => {
    if (typeof block.block_id !== "string") {
      block.block_id = uniqueId(shortHash(block, index), taken);
      taken.add(block.block_id);
    }
    elementsOf(block).forEach((element, elementIndex) => {
      if (typeof element.action_id !== "string") element.action_id = shortHash(element, elementIndex);
    });
  });
  return copy;
}

// Content-derived, so an unchanged block keeps its id across chat.update (and its input state).
function shortHash(value: unknown, salt: number): string {
  return createHash("sha1").update(`${salt}:${JSON.stringify(value)}`).digest("base64url").slice(0, 5);
}

function uniqueId(candidate: string, taken: Set<string>): string {
  let id = candidate;
  for (let suffix = 2; taken.has(id); suffix += 1) id = `${candidate}${suffix}`;
  return id;
}
