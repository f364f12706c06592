// Slack sends "@alice" in command text as "<@U123|alice>" (escaped commands, see manifest.yml); a bare
// user id or "@U123" is taken as typed.
export interface MentionedUser {
  slackUserId: string;
  displayName?: string;
}

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/;

/** The user a command word names, or undefined when the word is not a mention or a user id. */
export function mentionedUser(word: string | undefined): MentionedUser | undefined {
  if (!word) return undefined;
  const mention = MENTION.exec(word.trim());
  if (mention) return { slackUserId: mention[1]!, ...(mention[2] ? { displayName: mention[2] } : {}) };
  const bare = word.trim().replace(/^@/, "");
  return /^[UW][A-Z0-9]{2,}$/.test(bare) ? { slackUserId: bare } : undefined;
}
