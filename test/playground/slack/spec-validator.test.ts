import { describe, expect, it } from "vitest";
import { createSlackSpecValidator, loadSlackSpecValidator } from "../../../src/playground/slack/index.js";
import { SLACK_API_SPEC_PATH } from "./spec-path.js";

const validator = loadSlackSpecValidator(SLACK_API_SPEC_PATH);

describe("Slack spec validator (real OpenAPI description)", () => {
  it("accepts a call whose arguments the spec lists", () => {
    expect(validator.check("chat.update", ["channel", "ts", "text", "blocks"])).toEqual({ source: "spec", problems: [] });
  });

  it("exempts token and team_id, which @slack/web-api and Bolt add on their own", () => {
    expect(validator.check("chat.postMessage", ["token", "team_id", "channel", "text"]).problems).toEqual([]);
  });

  it("names unknown arguments and missing required ones", () => {
    const result = validator.check("chat.update", ["chanel", "ts", "text"]);
    expect(result.problems).toEqual([
      { problem: "unknown_argument", argument: "chanel" },
      { problem: "missing_required_argument", argument: "channel" },
    ]);
  });

  it("knows no method the spec does not describe", () => {
    expect(validator.knowsMethod("chat.sendTelepathically")).toBe(false);
    expect(validator.check("chat.sendTelepathically", []).problems).toEqual([{ problem: "unknown_method" }]);
  });

  it("describes the upload v2 methods from the supplement table, marked as such", () => {
    expect(validator.check("files.getUploadURLExternal", ["filename", "length"])).toEqual({ source: "supplement", problems: [] });
    expect(validator.check("files.completeUploadExternal", ["files", "channel_id", "initial_comment", "thread_ts"]).problems).toEqual([]);
    expect(validator.check("files.completeUploadExternal", ["channel_id"])).toEqual({
      source: "supplement",
      problems: [{ problem: "missing_required_argument", argument: "files" }],
    });
  });

  it("prefers the spec over the supplement once the spec describes a method", () => {
    const spec = { paths: { "/files.getUploadURLExternal": { post: { parameters: [{ name: "filename", in: "formData", required: true }] } } } };
    const fromSpec = createSlackSpecValidator(spec);
    expect(fromSpec.check("files.getUploadURLExternal", ["filename", "length"])).toEqual({
      source: "spec",
      problems: [{ problem: "unknown_argument", argument: "length" }],
    });
  });

  it("refuses a document that is not a Slack OpenAPI description", () => {
    expect(() => createSlackSpecValidator({ swagger: "2.0" })).toThrow(/no paths/);
  });
});
