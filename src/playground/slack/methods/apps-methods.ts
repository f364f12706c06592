// apps.connections.open: where a Socket Mode app opens its WebSocket (the app-level token is checked in answer-api-call.ts).
import { SlackApiError } from "../api/slack-api-error.js";
import type { MethodTable } from "./method-types.js";

export const appsMethods: MethodTable = {
  "apps.connections.open": ({ state }) => {
    // Not a documented Slack error: the stand-in's own answer while no Socket Mode endpoint is configured.
    if (!state.socketModeUrl) throw new SlackApiError("socket_mode_not_configured", ["set the stand-in's socketModeUrl to a WebSocket URL first"]);
    return { ok: true, url: state.socketModeUrl };
  },
};
