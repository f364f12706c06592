// Opening the bot's Home tab publishes it afresh: role and permissions, notifications, recent actions, the VMs
// the user worked on (with their state now), the environments with Start/Stop, shortcuts. Audited as one `view` of the home.
import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { runInteraction } from "../../interaction.js";
import { publishHome } from "../../presenters/home.js";

export function register(app: App, deps: SlackDeps): void {
  // Events are acknowledged by Bolt itself before listeners run.
  app.event("app_home_opened", async (args) => {
    if (args.event.tab !== "home") return;
    await runInteraction(deps, args, "slack_home", (ctx) => publishHome(deps, args.client, ctx));
  });
}
