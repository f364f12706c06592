// Slack's OpenAPI description lives in shared/ beside the repository (not shipped with the app).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SLACK_API_SPEC_PATH =
  process.env.SLACK_API_SPEC_PATH ?? fileURLToPath(new URL("../../../../shared/slack-api-specs/web-api.openapi.json", import.meta.url));

export const EVENTS_WRAPPER_SCHEMA_PATH = join(dirname(SLACK_API_SPEC_PATH), "events-wrapper.schema.json");
