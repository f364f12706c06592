// What `/vm env start|stop <env>` and the App Home's Start/Stop answer: the plan, with the button that
// runs it only for someone who may start (or stop) in that environment.
import type { RequestContext } from "../../services/actor.js";
import type { EnvironmentAction } from "../../services/environments/plan.js";
import { can } from "../../services/policy.js";
import type { SlackDeps } from "../deps.js";
import { renderEnvironmentConfirm, renderEnvironmentPlan } from "../views/environments.js";
import type { SlackMessage } from "../views/vm-list.js";

export async function presentEnvironmentPlan(deps: SlackDeps, ctx: RequestContext, name: string, action: EnvironmentAction): Promise<SlackMessage> {
  const plan = await deps.services.environments.planEnvironment(ctx, name, action);
  // Only a courtesy: the service asks the policy again when the button is pressed.
  const allowed = can(ctx.actor, action === "start" ? "vm_start" : "vm_stop", { environmentId: plan.environmentId });
  return allowed ? renderEnvironmentConfirm(plan) : renderEnvironmentPlan(plan);
}
