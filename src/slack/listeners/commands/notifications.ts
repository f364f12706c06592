// `/vm notifications [all]`: the caller's unread notifications (or every one not dismissed), ephemeral, with
// Mark read / Dismiss on each, Mark all read and the settings.
import { answerLookup } from "../../messages.js";
import { presentNotificationList } from "../../presenters/notifications.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

export const notificationsCommand: Subcommand = {
  name: "notifications",
  usage: "/vm notifications [all]",
  summary: "Your notifications: unread ones (or all), Mark read / Dismiss, DM settings",
  examples: ["/vm notifications", "/vm notifications all"],
  async run({ deps, args, ctx, argv }) {
    const [scope = "unread", ...rest] = argv.map((word) => word.toLowerCase());
    if (rest.length || (scope !== "unread" && scope !== "all")) throw new UsageError("Only `all` may follow `notifications`.");
    await answerLookup(args.client, askerOf(args), await presentNotificationList(deps, ctx, scope));
  },
};
