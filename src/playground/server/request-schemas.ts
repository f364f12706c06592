// What the page may POST: one zod schema per playground endpoint.
import { z } from "zod";

const userId = z.string().regex(/^[UW][A-Z0-9]+$/, "must be a Slack user id");

const textObject = z.object({ type: z.enum(["plain_text", "mrkdwn"]), text: z.string(), emoji: z.boolean().optional() });

const option = z.object({
  text: textObject,
  value: z.string(),
  description: z.object({ type: z.literal("plain_text"), text: z.string() }).optional(),
  url: z.string().optional(),
});

/** What a user enters into an element (the workspace simulator's UserInput). */
const userInput = z.union([z.string(), z.number(), z.null(), option, z.array(z.string()), z.array(option)]);

/** A message (channel + ts) or a view (id). */
const target = z.union([z.object({ channel: z.string().min(1), ts: z.string().min(1) }), z.object({ viewId: z.string().min(1) })]);

export const commandRequest = z.object({
  user: userId,
  /** What was typed into the composer, e.g. "/vm list status:running". */
  text: z.string().trim().regex(/^\/[a-z0-9_-]+/i, "must start with a slash command, e.g. /vm help").max(4000),
  channel: z.string().min(1).optional(),
});

export const actionRequest = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("click"), user: userId, target, actionId: z.string().min(1), blockId: z.string().optional(), confirm: z.boolean().optional() }),
  z.object({ kind: z.literal("input"), user: userId, target, actionId: z.string().min(1), blockId: z.string().optional(), value: userInput, confirm: z.boolean().optional() }),
]);

export const viewSubmissionRequest = z.object({
  user: userId,
  viewId: z.string().min(1),
  /** Inputs not yet reported, keyed "block_id::action_id". */
  values: z.record(z.string(), userInput).optional(),
});

export const viewClosedRequest = z.object({ user: userId, viewId: z.string().min(1) });

export const suggestRequest = z.object({ user: userId, target, actionId: z.string().min(1), blockId: z.string().optional(), typed: z.string().max(200) });

export const homeOpenedRequest = z.object({ user: userId });

export type UserInputBody = z.output<typeof userInput>;
