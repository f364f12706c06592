// The digest and job-log renderers: what a reader needs is there, and worst-case inputs (long names, many
// entries, long errors) stay inside Slack's limits.
import { describe, expect, it } from "vitest";
import type { AuditDigestContent, DigestEntry } from "../../../src/services/digests/digest-service.js";
import type { JobSummary } from "../../../src/services/jobs/job-log-service.js";
import { ACTION } from "../../../src/slack/ids.js";
import { renderAuditDigest, formatDuration } from "../../../src/slack/views/audit-digest.js";
import { decodeAuditState } from "../../../src/slack/views/audit-state.js";
import { renderJobs } from "../../../src/slack/views/jobs.js";
import { messageProblems } from "./slack-limits.js";

const since = new Date("2026-11-29T09:00:00Z");
const until = new Date("2026-11-30T09:00:00Z");
const long = "n".repeat(400);

function entry(overrides: Partial<DigestEntry> = {}): DigestEntry {
  return { at: since, action: "vm_start", outcome: "failed", slackUserId: "U0ALICE001", userName: long, vmName: long, environment: long, ...overrides };
}

function digest(overrides: Partial<AuditDigestContent> = {}): AuditDigestContent {
  return {
    since, until, totalActions: 0, failed: 0, denied: 0, problems: [], byUser: [], byAction: [], environmentRuns: [], locks: [], driftCount: 0, drift: [],
    ...overrides,
  };
}

describe("audit digest view", () => {
  it("says plainly when a period was quiet, and links to the audit log of the period", () => {
    const message = renderAuditDigest(digest({ environment: "prod" }));
    const text = JSON.stringify(message.blocks);
    for (const phrase of ["No failures or denials.", "No actions.", "No environment started or stopped.", "No locks.", "No drift found."]) expect(text).toContain(phrase);
    const actions = message.blocks.find((block) => block.type === "actions") as { elements: { action_id: string; value: string }[] };
    expect(actions.elements[0]!.action_id).toBe(ACTION.auditOpenFilters);
    expect(decodeAuditState(actions.elements[0]!.value)).toEqual({ f: { since: since.getTime() / 1000, env: "prod" } });
    expect(message.text).toBe("Audit digest for prod: 0 actions, 0 failed, 0 denied.");
  });

  it("stays inside Slack's limits with the most the digest service returns", () => {
    const many = Array.from({ length: 10 }, () => entry());
    const message = renderAuditDigest(
      digest({
        environment: "e".repeat(100),
        totalActions: 99_999,
        failed: 500,
        denied: 500,
        problems: many,
        byUser: Array.from({ length: 10 }, () => ({ slackUserId: "U0ALICE001", userName: long, count: 12 })),
        byAction: Array.from({ length: 10 }, () => ({ action: long, count: 3 })),
        environmentRuns: many,
        locks: Array.from({ length: 5 }, () => ({ environment: long, slackUserId: null, userName: long, acquiredAt: since, heldMs: 3 * 86_400_000 })),
        driftCount: 40,
        drift: many,
      }),
    );
    expect(messageProblems(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain("…and 990 more in the audit log.");
    expect(message.blocks.at(-1)!.type).toBe("actions");
  });

  it("writes lock durations in words", () => {
    expect([formatDuration(45 * 60_000), formatDuration(26 * 3_600_000 + 5 * 60_000), formatDuration(75 * 3_600_000)]).toEqual(["45 min", "26 h 5 min", "3 d 3 h"]);
  });
});

describe("job log view", () => {
  it("shows each job's last run first, failures with their error, and stays inside the limits", () => {
    const run = (status: string, error: string | null = null) => ({
      tick: until, status, startedAt: until, finishedAt: status === "running" ? null : new Date(until.getTime() + 1500), durationMs: status === "running" ? null : 1500,
      records: 3, error, ownerId: "host:1:abc", attempts: 1,
    });
    const jobs: JobSummary[] = Array.from({ length: 30 }, (_, index) => ({ job: `job-${index}`, runs: [run("failed", "e".repeat(5000)), run("succeeded"), run("running")] }));
    const message = renderJobs(jobs);
    expect(messageProblems(message)).toEqual([]);
    const first = JSON.stringify(message.blocks[1]);
    expect(first).toContain("*job-0*  last run: :x: failed");
    expect(first).toContain("1.5 s");
    expect(first).toContain("still running");
    expect(message.text).toBe("Scheduled jobs: 30, 30 failing.");
    expect(JSON.stringify(renderJobs([]).blocks)).toContain("No job has run yet.");
  });
});
