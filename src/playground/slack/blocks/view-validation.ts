// The view rules Slack checks on views.open/push/update/publish, answered as invalid_arguments.
import { isJsonObject, type JsonObject } from "../json-types.js";
import { blockProblems, MAX_VIEW_BLOCKS } from "./block-validation.js";

const MAX_TITLE_CHARS = 24;
const MAX_PRIVATE_METADATA_CHARS = 3000;
const MAX_CALLBACK_ID_CHARS = 255;

export function viewProblems(view: unknown, expectedType: "modal" | "home"): string[] {
  if (!isJsonObject(view)) return ["missing required field: view"];
  const problems: string[] = [];
  if (view.type !== expectedType) problems.push(`must be "${expectedType}" [json-pointer:/view/type]`);
  problems.push(...blockProblems(view.blocks, MAX_VIEW_BLOCKS, "/view/blocks"));
  if (expectedType === "modal") {
    if (!isJsonObject(view.title)) problems.push("missing required field: title [json-pointer:/view/title]");
    for (const field of ["title", "submit", "close"] as const) problems.push(...plainTextLengthProblems(view, field));
    const hasInputBlock = Array.isArray(view.blocks) && view.blocks.some((block) => isJsonObject(block) && block.type === "input");
    if (hasInputBlock && !isJsonObject(view.submit)) problems.push("must provide a submit button when the view contains input blocks [json-pointer:/view/submit]");
  }
  if (typeof view.private_metadata === "string" && view.private_metadata.length > MAX_PRIVATE_METADATA_CHARS) {
    problems.push(`must be no longer than ${MAX_PRIVATE_METADATA_CHARS} characters [json-pointer:/view/private_metadata]`);
  }
  if (typeof view.callback_id === "string" && view.callback_id.length > MAX_CALLBACK_ID_CHARS) {
    problems.push(`must be no longer than ${MAX_CALLBACK_ID_CHARS} characters [json-pointer:/view/callback_id]`);
  }
  return problems;
}

function plainTextLengthProblems(view: JsonObject, field: string): string[] {
  const text = view[field];
  if (!isJsonObject(text)) return [];
  if (text.type !== "plain_text") return [`must be a plain_text object [json-pointer:/view/${field}]`];
  if (typeof text.text === "string" && text.text.length > MAX_TITLE_CHARS) return [`must be less than ${MAX_TITLE_CHARS + 1} characters [json-pointer:/view/${field}/text]`];
  return [];
}
