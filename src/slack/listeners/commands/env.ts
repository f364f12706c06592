// `/vm env list | show <env> | plan <env> start|stop | start <env> | stop <env>`. Lookups answer the
// caller only; start/stop answer with the plan and a button that runs it (after Slack's confirm dialog).
import type { EnvironmentAction } from "../../../services/environments/plan.js";
import { can } from "../../../services/policy.js";
import { renderEnvironmentConfirm, renderEnvironmentDetail, renderEnvironmentList, renderEnvironmentPlan } from "../../views/environments.js";
import { answerLookup, postWorkMessage } from "../../messages.js";
import { followEnvironmentRun } from "../../environment-follower.js";
import { renderEnvironmentProgress } from "../../views/environments.js";
import type { SlackMessage } from "../../views/vm-list.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

const ACTIONS: readonly EnvironmentAction[] = ["start", "stop"];
/** The word a global admin adds to act against the dependencies: a force on stop, an override on start. */
const BYPASS: Record<EnvironmentAction, string> = { start: "override", stop: "force" };

export const envCommand: Subcommand = {
  name: "env",
  usage: "/vm env list | show <env> | plan <env> start|stop | start <env> [override <reason>] | stop <env> [force <reason>]",
  summary: "Environments: groups in dependency order, plans, start/stop with live progress",
  examples: ["/vm env list", "/vm env show demo", "/vm env plan demo start", "/vm env start demo", "/vm env stop demo force incident 42: stop everything now"],
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
    if ((verb === "start" || verb === "stop") && third) {
      if (third.toLowerCase() !== BYPASS[verb]) throw new UsageError(`\`/vm env ${verb} <env>\` takes only \`${BYPASS[verb]} <reason>\` after the name.`);
      const reason = argv.slice(3).join(" ");
      // The environment's admins are notified by the service, with the run.
      const { operationId } = await environments.requestEnvironmentAction(ctx, name, verb, { override: { reason } });
      const requestedBy = ctx.actor.slackUserId;
      const ref = await postWorkMessage(args.client, args.command.channel_id, requestedBy, renderEnvironmentProgress(await environments.getProgress(operationId), requestedBy));
      followEnvironmentRun(deps, args.client, operationId, ref, requestedBy);
      return;
    }
    if (verb === "start" || verb === "stop") {
      const plan = await environments.planEnvironment(ctx, name, verb);
      // Only a courtesy: the service asks the policy again when the button is pressed.
      const allowed = can(ctx.actor, verb === "start" ? "vm_start" : "vm_stop");
      return void (await reply(allowed ? renderEnvironmentConfirm(plan) : renderEnvironmentPlan(plan)));
    }
    throw new UsageError(`Unknown \`env ${verb}\`.`);
  },
};
