// auth.test, users.info, users.lookupByEmail, conversations.open.
import { SlackApiError } from "../api/slack-api-error.js";
import { asBoolean } from "../json-types.js";
import { stringArg } from "./method-args.js";
import type { MethodTable } from "./method-types.js";

export const identityMethods: MethodTable = {
  "auth.test": ({ state }) => {
    const { identity } = state;
    return {
      ok: true,
      url: `https://${identity.teamDomain}.slack.com/`,
      team: identity.teamName,
      user: identity.botName,
      team_id: identity.teamId,
      user_id: identity.botUserId,
      bot_id: identity.botId,
      is_enterprise_install: false,
    };
  },

  "users.info": ({ args, state }) => ({ ok: true, user: state.users.require(stringArg(args, "user") ?? "") }),

  "users.lookupByEmail": ({ args, state }) => {
    const user = state.users.findByEmail(stringArg(args, "email") ?? "");
    if (!user) throw new SlackApiError("users_not_found");
    return { ok: true, user };
  },

  "conversations.open": ({ args, state }) => {
    const reopen = stringArg(args, "channel");
    if (reopen) {
      const channel = state.channels.get(reopen);
      if (!channel) throw new SlackApiError("channel_not_found");
      return { ok: true, channel: asBoolean(args.return_im) ? channel : { id: channel.id } };
    }
    const users = (stringArg(args, "users") ?? "").split(",").map((id) => id.trim()).filter(Boolean);
    if (users.length === 0) throw new SlackApiError("users_list_not_supplied");
    // Group DMs are out of scope for this bot; a multi-person DM is refused rather than faked.
    if (users.length > 1) throw new SlackApiError("method_not_supported_for_channel_type", ["the stand-in only opens one-to-one DMs"]);
    const userId = users[0]!;
    state.users.require(userId);
    const alreadyOpen = state.channels.hasDm(userId);
    const channel = state.channels.dmFor(userId);
    return {
      ok: true,
      ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
      channel: asBoolean(args.return_im) ? channel : { id: channel.id },
    };
  },
};
