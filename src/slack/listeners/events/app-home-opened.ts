// Opening the bot's Home tab publishes it afresh: role and permissions, recent actions, the VMs the
// user worked on (with their state now), the environments with Start/Stop, shortcuts. Audited as one `view` of the home.
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { runInteraction } from "../../interaction.js";
import { HOME_LIST_LIMIT, renderHome } from "../../views/home.js";

export function register(app: App, deps: SlackDeps): void {
  // Events are acknowledged by Bolt itself before listeners run.
  app.event("app_home_opened", async (args) => {
    if (args.event.tab !== "home") return;
    await runInteraction(deps, args, "slack_home", async (ctx) => {
      const me = await deps.services.users.whoami(ctx, { audited: false });
      const recent = await deps.services.audit.recentForUser(ctx, HOME_LIST_LIMIT);
      const vms = await deps.services.vms.recentlyActedOn(ctx, HOME_LIST_LIMIT);
      const environments = me.permissions.includes("vm_view") ? await deps.services.environments.listEnvironments(ctx) : [];
      const locks = await deps.services.locks.mine(ctx);
      await args.client.views.publish({ user_id: ctx.actor.slackUserId, view: renderHome({ me, recent, vms, environments, locks }) });
    });
  });
}
