// POST endpoints for what a person does on the page. Each one asks the workspace simulator to do what
// Slack's client would (signed request to the bot, response_url, view stack) and returns its reply.
import type { CustomRoute } from "@slack/bolt";
import type { SlackWebApiStandIn, UserInput, WorkspaceSimulator } from "../slack/index.js";
import { PlaygroundRequestError, readJsonBody, route, sendJson } from "./http-io.js";
import { actionRequest, commandRequest, homeOpenedRequest, suggestRequest, viewClosedRequest, viewSubmissionRequest } from "./request-schemas.js";

export interface InteractionRouteDeps {
  standIn: SlackWebApiStandIn;
  workspace: WorkspaceSimulator;
}

export function interactionRoutes({ standIn, workspace }: InteractionRouteDeps): CustomRoute[] {
  const knownUser = (userId: string): string => {
    if (!standIn.user(userId)) throw new PlaygroundRequestError(`unknown user ${userId}`);
    return userId;
  };

  return [
    route("POST", "/playground/command", async (request, response) => {
      const body = await readJsonBody(request, commandRequest);
      const [command = "", ...words] = body.text.split(/\s+/);
      const reply = await workspace.command(knownUser(body.user), command, words.join(" "), body.channel ? { channel: body.channel } : {});
      sendJson(response, 200, forPage(reply));
    }),

    route("POST", "/playground/action", async (request, response) => {
      const body = await readJsonBody(request, actionRequest);
      const options = { ...(body.blockId === undefined ? {} : { blockId: body.blockId }), ...(body.confirm === undefined ? {} : { confirm: body.confirm }) };
      const user = knownUser(body.user);
      const reply =
        body.kind === "click"
          ? await workspace.clickButton(user, body.target, body.actionId, options)
          : await workspace.setInput(user, body.target, body.actionId, body.value as UserInput, options);
      sendJson(response, 200, forPage(reply));
    }),

    route("POST", "/playground/view-submission", async (request, response) => {
      const body = await readJsonBody(request, viewSubmissionRequest);
      const reply = await workspace.submitView(knownUser(body.user), body.viewId, (body.values ?? {}) as Record<string, UserInput>);
      sendJson(response, 200, forPage(reply));
    }),

    route("POST", "/playground/view-closed", async (request, response) => {
      const body = await readJsonBody(request, viewClosedRequest);
      sendJson(response, 200, forPage(await workspace.closeView(knownUser(body.user), body.viewId)));
    }),

    route("POST", "/playground/suggest", async (request, response) => {
      const body = await readJsonBody(request, suggestRequest);
      const options = body.blockId === undefined ? {} : { blockId: body.blockId };
      sendJson(response, 200, forPage(await workspace.suggest(knownUser(body.user), body.target, body.actionId, body.typed, options)));
    }),

    route("POST", "/playground/home-opened", async (request, response) => {
      const body = await readJsonBody(request, homeOpenedRequest);
      sendJson(response, 200, forPage(await workspace.openHome(knownUser(body.user))));
    }),
  ];
}

/** The simulator's reply without what only a test needs (raw bytes, the event envelope). */
function forPage<T extends { rawBody?: string; envelope?: unknown }>(reply: T): Omit<T, "rawBody" | "envelope"> {
  const { rawBody: _rawBody, envelope: _envelope, ...rest } = reply;
  return rest;
}
