// What each user has ticked, picked or typed into inputs, per message (per user: Slack keeps it in
// that user's client) and per view. Payloads report it as state.values.
import type { SlackBlock, StateValue, StateValues } from "../json-types.js";
import { walkElements } from "../blocks/block-walk.js";
import { initialStateValue, isStatefulElement } from "../blocks/element-values.js";

export function messageSurfaceKey(channel: string, ts: string, userId: string): string {
  return `message:${channel}:${ts}:${userId}`;
}

export function viewSurfaceKey(viewId: string): string {
  return `view:${viewId}`;
}

export class InputStateStore {
  private readonly entered = new Map<string, StateValues>();

  set(surfaceKey: string, blockId: string, actionId: string, value: StateValue): void {
    const values = this.entered.get(surfaceKey) ?? {};
    values[blockId] = { ...values[blockId], [actionId]: structuredClone(value) };
    this.entered.set(surfaceKey, values);
  }

  /** Forgets every user's entries on a message (Slack resets inputs when the message is replaced). */
  forgetMessage(channel: string, ts: string): void {
    const prefix = `message:${channel}:${ts}:`;
    for (const key of [...this.entered.keys()]) if (key.startsWith(prefix)) this.entered.delete(key);
  }

  forget(surfaceKey: string): void {
    this.entered.delete(surfaceKey);
  }

  /**
   * state.values for a surface: every stateful element with what the user entered, else its initial value.
   * Entries for elements no longer present (after an update) are dropped, as Slack does.
   */
  valuesFor(surfaceKey: string, blocks: readonly SlackBlock[]): StateValues {
    const entered = this.entered.get(surfaceKey) ?? {};
    const values: StateValues = {};
    for (const { block, element } of walkElements(blocks)) {
      if (!isStatefulElement(element) || typeof block.block_id !== "string" || typeof element.action_id !== "string") continue;
      const enteredValue = entered[block.block_id]?.[element.action_id];
      const value = enteredValue?.type === element.type ? enteredValue : initialStateValue(element);
      if (value === undefined) continue;
      values[block.block_id] = { ...values[block.block_id], [element.action_id]: structuredClone(value) };
    }
    return values;
  }

  clear(): void {
    this.entered.clear();
  }
}
