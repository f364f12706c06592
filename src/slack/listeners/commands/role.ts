import { z } from "zod";
import { ROLES } from "../../../services/actor.js";
import { mentionedUser } from "../../mentions.js";
import { UsageError, type Subcommand } from "./subcommand.js";

// Slack turns "@alice" into "<@U123|alice>" when the command has escaping enabled (see manifest.yml).
const roleArgs = z.tuple([
  z.string().transform((mention) => mentionedUser(mention)?.slackUserId ?? mention.replace(/^@/, "")),
  z.enum(ROLES as [string, ...string[]]),
]);
/** `/vm role @user env_admin on|off`: the flag that lets a user be made an environment's admin. */
const envAdminArgs = z.tuple([z.string(), z.literal("env_admin"), z.enum(["on", "off"])]);

export const roleCommand: Subcommand = {
  name: "role",
  usage: "/vm role @user viewer|operator|admin  ·  /vm role @user env_admin on|off",
  summary: "Change someone's role, or whether they may be made an environment admin (global admins)",
  examples: ["/vm role @alice operator", "/vm role @alice env_admin on"],
  async run({ deps, args, ctx, argv }) {
    const flag = envAdminArgs.safeParse(argv.map((word) => word.toLowerCase()));
    if (flag.success) {
      const target = mentionedUser(argv[0]);
      if (!target) throw new UsageError("Mention one user, then `env_admin on` or `env_admin off`.");
      const changed = await deps.services.access.setEnvAdmin(ctx, target, flag.data[2] === "on");
      const now = changed.envAdmin ? "may now be made an environment admin" : "may no longer be an environment admin (their admin grants act as user)";
      return void (await args.respond({ response_type: "ephemeral", text: `:white_check_mark: <@${changed.target.slackUserId}> ${now}.` }));
    }
    const parsed = roleArgs.safeParse(argv);
    if (!parsed.success) throw new UsageError("Mention one user and one role: viewer, operator or admin (or `env_admin on|off`).");
    const [slackUserId, role] = parsed.data;
    const { previousRole } = await deps.services.users.changeRole(ctx, { slackUserId }, role as (typeof ROLES)[number]);
    await args.respond({
      response_type: "ephemeral",
      text: `:white_check_mark: <@${slackUserId}> is now *${role}*${previousRole ? ` (was ${previousRole})` : ""}.`,
    });
  },
};
