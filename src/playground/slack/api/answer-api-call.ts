// Decides the answer to one Web API call: authentication, the spec check, then the method itself.
import type { JsonObject } from "../json-types.js";
import type { MethodTable } from "../methods/method-types.js";
import type { SlackSpecValidator, SpecSource } from "../spec/spec-validator.js";
import type { WorkspaceState } from "../state/workspace-state.js";
import { SlackApiError } from "./slack-api-error.js";

export interface SpecViolation {
  method: string;
  /** Human-readable, e.g. `unknown argument "chanel"`. */
  problem: string;
  kind: "unknown_method" | "unknown_argument" | "missing_required_argument";
  argument?: string;
  /** "supplement" when the method is described by the upload-v2 supplement table, not the spec. */
  source: SpecSource | "none";
}

export interface ApiCallContext {
  state: WorkspaceState;
  methods: MethodTable;
  botToken: string;
  /** The app-level token (xapp-...): the only one Socket Mode's apps.connections.open accepts. */
  appToken: string;
  validator: SlackSpecValidator | undefined;
}

// Methods Slack serves only to an app-level token; every other method wants the bot token.
const APP_TOKEN_METHODS = new Set(["apps.connections.open"]);

export interface ApiCallAnswer {
  answer: JsonObject;
  violations: SpecViolation[];
}

export function answerApiCall(context: ApiCallContext, method: string, token: string | undefined, args: JsonObject): ApiCallAnswer {
  const violations = specViolations(context.validator, method, args);
  try {
    authenticate(context, method, token);
    if (violations.some((violation) => violation.kind === "unknown_method")) throw new SlackApiError("unknown_method");
    if (violations.length > 0) throw new SlackApiError("invalid_arguments", violations.map((violation) => violation.problem));
    const handler = context.methods[method];
    // Methods the spec knows but the stand-in does not model answer a bare success (and are recorded).
    return { answer: handler ? handler({ args, state: context.state }) : { ok: true }, violations };
  } catch (error) {
    if (error instanceof SlackApiError) return { answer: error.toResponse(), violations };
    throw error;
  }
}

function authenticate(context: ApiCallContext, method: string, token: string | undefined): void {
  if (!token) throw new SlackApiError("not_authed");
  const presented = token === context.botToken ? "bot" : token === context.appToken ? "app" : undefined;
  if (!presented) throw new SlackApiError("invalid_auth");
  // A known token of the wrong kind, e.g. the bot token on apps.connections.open, or an xapp- token on chat.postMessage.
  if (presented !== (APP_TOKEN_METHODS.has(method) ? "app" : "bot")) throw new SlackApiError("not_allowed_token_type");
}

function specViolations(validator: SlackSpecValidator | undefined, method: string, args: JsonObject): SpecViolation[] {
  if (!validator) return [];
  const result = validator.check(method, Object.keys(args));
  return result.problems.map((problem) => ({
    method,
    kind: problem.problem,
    problem: describeProblem(problem.problem, problem.argument),
    ...(problem.argument === undefined ? {} : { argument: problem.argument }),
    source: result.source ?? "none",
  }));
}

function describeProblem(kind: SpecViolation["kind"], argument: string | undefined): string {
  if (kind === "unknown_method") return "unknown method";
  if (kind === "unknown_argument") return `unknown argument "${argument}"`;
  return `missing required argument "${argument}"`;
}
