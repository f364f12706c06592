import { z } from "zod";
import { ROLES } from "../../../services/actor.js";
import { UsageError, type Subcommand } from "./subcommand.js";

// Slack turns "@alice" into "<@U123|alice>" when the command has escaping enabled (see manifest.yml).
const roleArgs = z.tuple([
  z.string().transform((mention) => /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(mention)?.[1] ?? mention.replace(/^@/, "")),
  z.enum(ROLES as [string, ...string[]]),
]);

export const roleCommand: Subcommand = {
  name: "role",
  usage: "/vm role @user viewer|operator|admin",
  summary: "Change someone's role (admins)",
  examples: ["/vm role @alice operator"],
  async run({ deps, args, ctx, argv }) {
    const parsed = roleArgs.safeParse(argv);
    if (!parsed.success) throw new UsageError("Mention one user and one role: viewer, operator or admin.");
    const [slackUserId, role] = parsed.data;
    const { previousRole } = await deps.services.users.changeRole(ctx, { slackUserId }, role as (typeof ROLES)[number]);
    await args.respond({
      response_type: "ephemeral",
      text: `:white_check_mark: <@${slackUserId}> is now *${role}*${previousRole ? ` (was ${previousRole})` : ""}.`,
    });
  },
};
