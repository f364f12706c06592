import type { Subcommand } from "./subcommand.js";

export const logoutCommand: Subcommand = {
  name: "logout",
  usage: "/vm logout",
  summary: "End your session (recorded in the audit log)",
  examples: ["/vm logout"],
  async run({ deps, args, ctx }) {
    await deps.services.users.logout(ctx);
    await args.respond({ response_type: "ephemeral", text: ":wave: Logged out. Your next command starts a new session." });
  },
};
