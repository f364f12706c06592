import { describe, expect, it } from "vitest";
import { parseLockArguments, parseLockDuration } from "../../../src/slack/listeners/commands/env-locks.js";
import { UsageError } from "../../../src/slack/listeners/commands/subcommand.js";

describe("/vm env lock arguments", () => {
  it("reads an optional duration, the reason and --queue anywhere", () => {
    expect(parseLockArguments([])).toEqual({ queue: false });
    expect(parseLockArguments(["for", "2h", "release", "testing"])).toEqual({ queue: false, durationMs: 2 * 3600_000, reason: "release testing" });
    expect(parseLockArguments(["--queue"])).toEqual({ queue: true });
    expect(parseLockArguments(["demo", "prep", "--QUEUE"])).toEqual({ queue: true, reason: "demo prep" });
    expect(parseLockArguments(["for", "90m"])).toEqual({ queue: false, durationMs: 90 * 60_000 });
    expect(parseLockArguments(["forever", "young"])).toEqual({ queue: false, reason: "forever young" });
  });

  it("refuses a duration it cannot read", () => {
    expect(() => parseLockArguments(["for", "two", "hours"])).toThrow(UsageError);
    expect(parseLockDuration("1d")).toBe(86_400_000);
    expect(parseLockDuration("2w")).toBeUndefined();
  });
});
