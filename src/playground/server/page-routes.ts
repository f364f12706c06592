// GET endpoints: the page and its modules, a user's snapshot of the workspace, the change stream and
// file downloads.
import type { CustomRoute } from "@slack/bolt";
import { defaultPerson, type PlaygroundPerson } from "../demo-workspace.js";
import type { SlackWebApiStandIn } from "../slack/index.js";
import type { PlaygroundEventStream } from "./event-stream.js";
import { PlaygroundRequestError, queryParam, route, sendJson } from "./http-io.js";
import { snapshotFor } from "./state-snapshot.js";
import { sendWebAsset } from "./static-assets.js";

export interface PageRouteDeps {
  standIn: SlackWebApiStandIn;
  people: readonly PlaygroundPerson[];
  events: PlaygroundEventStream;
}

export function pageRoutes({ standIn, people, events }: PageRouteDeps): CustomRoute[] {
  return [
    route("GET", "/", (_request, response) => sendWebAsset(response, ["index.html"])),
    route("GET", "/playground/web/*path", (request, response) => sendWebAsset(response, segments(request.params?.path))),

    route("GET", "/playground/state", (request, response) => {
      // No ?user= (the URL `npm start` prints) or an empty one: the page opens as the demo admin.
      const userId = queryParam(request, "user") || defaultPerson(people).id;
      if (!people.some((person) => person.id === userId)) {
        const known = people.map((person) => `${person.id} (${person.name})`).join(", ");
        throw new PlaygroundRequestError(`unknown user ${userId}: the playground's people are ${known}`);
      }
      sendJson(response, 200, snapshotFor(standIn, people, userId));
    }),

    route("GET", "/playground/events", (_request, response) => events.attach(response)),

    route("GET", "/playground/files/:fileId/:name", (request, response) => {
      const stored = standIn.file(String(request.params?.fileId ?? ""));
      if (!stored?.completed || !stored.content) return sendJson(response, 404, { ok: false, error: "file_not_found" });
      response.writeHead(200, {
        "content-type": stored.file.mimetype,
        "content-length": stored.content.length,
        "content-disposition": `attachment; filename="${stored.file.name.replace(/["\\\r\n]/g, "_")}"`,
      });
      response.end(stored.content);
    }),
  ];
}

function segments(param: string | string[] | undefined): string[] {
  if (Array.isArray(param)) return param;
  return param ? param.split("/") : [];
}
