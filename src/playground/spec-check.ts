// Slack's OpenAPI description sits beside the repository on developer and CI machines only. When it is
// there the stand-in checks every Web API call against it, and the playground logs what it refused.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";
import { loadSlackSpecValidator, type SlackSpecValidator, type SlackWebApiStandIn } from "./slack/index.js";

export const DEFAULT_SPEC_PATH = fileURLToPath(new URL("../../../shared/slack-api-specs/web-api.openapi.json", import.meta.url));

export function optionalSpecValidator(specPath: string, logger: Logger): SlackSpecValidator | undefined {
  if (!existsSync(specPath)) return undefined;
  try {
    return loadSlackSpecValidator(specPath);
  } catch (error) {
    logger.warn({ err: error, specPath }, "could not read Slack's API description; Web API calls are not checked against it");
    return undefined;
  }
}

/** Logs each new spec violation once; returns the unsubscribe function. */
export function logSpecViolations(standIn: SlackWebApiStandIn, logger: Logger): () => void {
  let reported = 0;
  return standIn.subscribe((change) => {
    if (change.kind === "reset") reported = 0;
    if (change.kind !== "call") return;
    for (const violation of standIn.violations.slice(reported)) logger.warn({ violation }, `Slack Web API call refused by the spec check: ${violation.method}: ${violation.problem}`);
    reported = standIn.violations.length;
  });
}
