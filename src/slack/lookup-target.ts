// A lookup someone is looking at, and so where its redraws go: an ephemeral message (redrawn through a
// response_url, with the channel and user to fall back to) or a message in their DM with the bot
// (chat.update). Carried in modals' private_metadata, so it is checked when read back.
import { z } from "zod";

export const lookupTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ephemeral"), responseUrl: z.string().url().max(1000), channel: z.string().max(40), user: z.string().max(40) }),
  z.object({ kind: z.literal("message"), channel: z.string().max(40), ts: z.string().max(40), user: z.string().max(40) }),
]);

export type LookupTarget = z.infer<typeof lookupTargetSchema>;

/**
 * The target when it is `slackUserId`'s own lookup; otherwise none. A modal's private_metadata comes back
 * from the client: a lookup of someone else's is never redrawn (nor sent to them) for this user.
 */
export function ownLookupTarget(target: LookupTarget | undefined, slackUserId: string): LookupTarget | undefined {
  return target?.user === slackUserId ? target : undefined;
}
