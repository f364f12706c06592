// `/vm env list | show <env> | plan <env> start|stop | start <env> | stop <env>`. Lookups answer the
// caller only; start/stop answer with the plan and a button that runs it (after Slack's confirm dialog).
import type { EnvironmentAction } from "../../../services/environments/plan.js";
import { ForbiddenError } from "../../../services/errors.js";
import { can } from "../../../services/policy.js";
import { requestAccessButton } from "../../views/access.js";
import { escapeMrkdwn } from "../../views/limits.js";
import { renderEnvironmentDetail, renderEnvironmentList, renderEnvironmentPlan } from "../../views/environments.js";
import { presentEnvironmentPlan } from "../../presenters/environments.js";
import { answerLookup, postWorkMessage } from "../../messages.js";
import { followEnvironmentRun } from "../../environment-follower.js";
import { renderEnvironmentProgress } from "../../views/environments.js";
import type { SlackMessage } from "../../views/vm-list.js";
import { ACCESS_EXAMPLES, ACCESS_USAGE, isAccessVerb, runAccessVerb } from "./env-access.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";
import { LOCK_EXAMPLES, LOCK_USAGE, LOCK_VERBS, runLockCommand } from "./env-locks.js";

const ACTIONS: readonly EnvironmentAction[] = ["start", "stop"];
/** The word a global admin adds to act against the dependencies: a force on stop, an override on start. */
const BYPASS: Record<EnvironmentAction, string> = { start: "override", stop: "force" };

export const envCommand: Subcommand = {
  name: "env",
  usage: `/vm env list | show <env> | plan <env> start|stop | start <env> [override <reason>] | stop <env> [force <reason>] | ${LOCK_USAGE} | ${ACCESS_USAGE}`,
  summary: "Environments: groups in dependency order, plans, start/stop with live progress; locks with a queue; access requests",
  examples: ["/vm env list", "/vm env show demo", "/vm env plan demo start", "/vm env start demo", "/vm env stop demo force incident 42: stop everything now", ...LOCK_EXAMPLES, ...ACCESS_EXAMPLES],
  async run(input) {
    const { deps, args, ctx, argv } = input;
    const [verb = "list", name, third] = argv.map((word) => word.trim());
    if (LOCK_VERBS.has(verb.toLowerCase())) return runLockCommand(input);
    if (isAccessVerb(verb.toLowerCase())) return runAccessVerb(verb.toLowerCase() as Parameters<typeof runAccessVerb>[0], input);
    const environments = deps.services.environments;
    const reply = (message: SlackMessage) => answerLookup(args.client, askerOf(args), message);
    // Only a courtesy: environments the caller cannot open offer "Request access" (the service decides).
    const cannotOpen = (environmentId: number) => !can(ctx.actor, "vm_view", { environmentId });
    if (verb === "list" && !name) {
      const list = await environments.listEnvironments(ctx);
      return void (await reply(renderEnvironmentList(list, { requestable: list.filter((environment) => cannotOpen(environment.id)).map((environment) => environment.name) })));
    }
    if (!name) throw new UsageError("Name an environment.");
    if (verb === "show") {
      const shown = await environments.showEnvironment(ctx, name).catch((error: unknown) => {
        if (error instanceof ForbiddenError && error.environment) return error;
        throw error;
      });
      if (shown instanceof ForbiddenError) {
        const text = `:no_entry: ${escapeMrkdwn(shown.message)}`;
        return void (await reply({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }, { type: "actions", elements: [requestAccessButton(name)] }] }));
      }
      return void (await reply(renderEnvironmentDetail(shown, { requestable: cannotOpen(shown.id) })));
    }
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
    if (verb === "start" || verb === "stop") return void (await reply(await presentEnvironmentPlan(deps, ctx, name, verb)));
    throw new UsageError(`Unknown \`env ${verb}\`.`);
  },
};
