// `/vm env list | show <env> | plan <env> start|stop | start <env> | stop <env>`. Lookups answer the
// caller only; start/stop answer with the plan and a button that runs it (after Slack's confirm dialog).
import type { EnvironmentAction } from "../../../services/environments/plan.js";
import { can } from "../../../services/policy.js";
import { renderEnvironmentConfirm, renderEnvironmentDetail, renderEnvironmentList, renderEnvironmentPlan } from "../../views/environments.js";
import { answerLookup } from "../../messages.js";
import type { SlackMessage } from "../../views/vm-list.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

const ACTIONS: readonly EnvironmentAction[] = ["start", "stop"];

export const envCommand: Subcommand = {
  name: "env",
  usage: "/vm env list | show <env> | plan <env> start|stop | start <env> | stop <env>",
  summary: "Environments: groups in dependency order, plans, start/stop with live progress",
  examples: ["/vm env list", "/vm env show demo", "/vm env plan demo start", "/vm env start demo"],
  async run({ deps, args, ctx, argv }) {
    const [verb = "list", name, third] = argv.map((word) => word.trim());
    const environments = deps.services.environments;
    const reply = (message: SlackMessage) => answerLookup(args.client, askerOf(args), message);
    if (verb === "list" && !name) return void (await reply(renderEnvironmentList(await environments.listEnvironments(ctx))));
    if (!name) throw new UsageError("Name an environment.");
    if (verb === "show") return void (await reply(renderEnvironmentDetail(await environments.showEnvironment(ctx, name))));
    if (verb === "plan") {
      const action = (third ?? "start").toLowerCase() as EnvironmentAction;
      if (!ACTIONS.includes(action)) throw new UsageError("Plan `start` or `stop`.");
      return void (await reply(renderEnvironmentPlan(await environments.planEnvironment(ctx, name, action))));
    }
    if (verb === "start" || verb === "stop") {
      const plan = await environments.planEnvironment(ctx, name, verb);
      // Only a courtesy: the service asks the policy again when the button is pressed.
      const allowed = can(ctx.actor.role, verb === "start" ? "vm_start" : "vm_stop");
      return void (await reply(allowed ? renderEnvironmentConfirm(plan) : renderEnvironmentPlan(plan)));
    }
    throw new UsageError(`Unknown \`env ${verb}\`.`);
  },
};
