// Checks each Web API call against Slack's own OpenAPI description: the method must exist,
// every argument must be one the spec lists, and required arguments must be present.
// The spec file exists only on developer/CI machines, so callers load it and inject the result.
import { readFileSync } from "node:fs";
import { isJsonObject } from "../json-types.js";
import { SPEC_SUPPLEMENT } from "./spec-supplement.js";

export type SpecSource = "spec" | "supplement";

export interface SpecProblem {
  problem: "unknown_method" | "unknown_argument" | "missing_required_argument";
  argument?: string;
}

export interface SpecCheckResult {
  /** Where the method's description came from; undefined when the method is unknown. */
  source: SpecSource | undefined;
  problems: SpecProblem[];
}

export interface SlackSpecValidator {
  knowsMethod(method: string): boolean;
  /** `args` are the argument names with a value (undefined/absent arguments are not sent on the wire). */
  check(method: string, args: readonly string[]): SpecCheckResult;
}

interface MethodDescription {
  args: Set<string>;
  required: Set<string>;
  source: SpecSource;
}

// Accepted on every method: the token (header or param), and team_id, which @slack/web-api adds to
// every call when Bolt knows the team (App.js builds per-team clients with clientOptions.teamId).
const UNIVERSAL_ARGS = new Set(["token", "team_id"]);

export function loadSlackSpecValidator(specPath: string): SlackSpecValidator {
  return createSlackSpecValidator(JSON.parse(readFileSync(specPath, "utf8")));
}

export function createSlackSpecValidator(openApiSpec: unknown): SlackSpecValidator {
  const methods = describeMethods(openApiSpec);
  for (const [method, supplement] of Object.entries(SPEC_SUPPLEMENT)) {
    if (methods.has(method)) continue; // the spec caught up; trust it over the table
    methods.set(method, { args: new Set(supplement.args), required: new Set(supplement.required), source: "supplement" });
  }
  return {
    knowsMethod: (method) => methods.has(method),
    check(method, args) {
      const description = methods.get(method);
      if (!description) return { source: undefined, problems: [{ problem: "unknown_method" }] };
      const problems: SpecProblem[] = [];
      for (const arg of args) {
        if (!UNIVERSAL_ARGS.has(arg) && !description.args.has(arg)) problems.push({ problem: "unknown_argument", argument: arg });
      }
      for (const arg of description.required) {
        if (!args.includes(arg)) problems.push({ problem: "missing_required_argument", argument: arg });
      }
      return { source: description.source, problems };
    },
  };
}

/** Swagger 2.0: paths["/chat.update"][verb].parameters[] with in: formData | query | header. */
function describeMethods(spec: unknown): Map<string, MethodDescription> {
  if (!isJsonObject(spec) || !isJsonObject(spec.paths)) throw new Error("Not a Slack Web API OpenAPI document: no paths");
  const methods = new Map<string, MethodDescription>();
  for (const [path, operations] of Object.entries(spec.paths)) {
    if (!isJsonObject(operations)) continue;
    const description: MethodDescription = { args: new Set(), required: new Set(), source: "spec" };
    for (const operation of Object.values(operations)) {
      if (!isJsonObject(operation) || !Array.isArray(operation.parameters)) continue;
      for (const parameter of operation.parameters) {
        if (!isJsonObject(parameter) || typeof parameter.name !== "string") continue;
        if (UNIVERSAL_ARGS.has(parameter.name)) continue;
        description.args.add(parameter.name);
        if (parameter.required === true) description.required.add(parameter.name);
      }
    }
    methods.set(path.replace(/^\//, ""), description);
  }
  return methods;
}
