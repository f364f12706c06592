// views.open, views.push, views.update, views.publish.
import type { JsonObject } from "../json-types.js";
import { SlackApiError } from "../api/slack-api-error.js";
import { viewProblems } from "../blocks/view-validation.js";
import { stringArg } from "./method-args.js";
import type { MethodTable } from "./method-types.js";

export const viewsMethods: MethodTable = {
  "views.open": ({ args, state }) => {
    const view = validView(args.view, "modal");
    const userId = state.triggers.exchange(stringArg(args, "trigger_id") ?? "");
    return { ok: true, view: state.openModal(userId, view) };
  },

  "views.push": ({ args, state }) => {
    const view = validView(args.view, "modal");
    const userId = state.triggers.exchange(stringArg(args, "trigger_id") ?? "");
    return { ok: true, view: state.pushModal(userId, view) };
  },

  "views.update": ({ args, state }) => {
    const viewId = stringArg(args, "view_id");
    const externalId = stringArg(args, "external_id");
    if (!viewId && !externalId) throw new SlackApiError("invalid_arguments", ["either view_id or external_id is required"]);
    const existing = viewId ? state.views.find(viewId) : undefined;
    const view = validView(args.view, existing?.surface === "home" ? "home" : "modal");
    const hash = stringArg(args, "hash");
    return { ok: true, view: state.updateView({ ...(viewId ? { viewId } : {}), ...(externalId ? { externalId } : {}) }, view, hash) };
  },

  "views.publish": ({ args, state }) => {
    const userId = stringArg(args, "user_id") ?? "";
    state.users.require(userId);
    const view = validView(args.view, "home");
    return { ok: true, view: state.publishHome(userId, view, stringArg(args, "hash")) };
  },
};

function validView(view: unknown, type: "modal" | "home"): JsonObject {
  const problems = viewProblems(view, type);
  if (problems.length > 0) throw new SlackApiError("invalid_arguments", problems);
  return view as JsonObject;
}
