// Loose JSON shapes for what crosses the wire. The stand-in must accept whatever a bot sends
// (including mistakes) and describe it back, so these stay structural rather than Block Kit-exact.

export type JsonObject = Record<string, unknown>;

/** One Block Kit block as posted by the bot (after Slack filled in missing block_id/action_id). */
export type SlackBlock = JsonObject & { type: string; block_id?: string };

/** One interactive or display element inside a block. */
export type SlackElement = JsonObject & { type: string; action_id?: string };

/** A Block Kit option object: { text, value, description? }. */
export interface SlackOption {
  text: { type: "plain_text" | "mrkdwn"; text: string; emoji?: boolean };
  value: string;
  description?: { type: "plain_text"; text: string };
  url?: string;
}

/** One entry of state.values[blockId][actionId], as Slack sends it. */
export type StateValue = JsonObject & { type: string };

/** state.values: blockId -> actionId -> value. */
export type StateValues = Record<string, Record<string, StateValue>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** Form-encoded args carry booleans as "true"/"1"; JSON args carry real booleans. */
export function asBoolean(value: unknown): boolean {
  return value === true || value === "true" || value === "1" || value === 1;
}
