// `/vm jobs`: each scheduled job's latest run (status, duration, records, error) and its recent history.
import type { KnownBlock } from "@slack/types";
import type { JobRunView, JobSummary } from "../../services/jobs/job-log-service.js";
import { LIMITS, escapeMrkdwn, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const STATUS_EMOJI: Record<string, string> = {
  running: ":hourglass_flowing_sand:",
  succeeded: ":white_check_mark:",
  failed: ":x:",
};

export function formatRunDuration(ms: number | null): string {
  if (ms === null) return "still running";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function runLine(run: JobRunView): string {
  const parts = [`${STATUS_EMOJI[run.status] ?? ""} ${run.status}`.trim(), slackDate(run.tick), formatRunDuration(run.durationMs)];
  if (run.records !== null) parts.push(`${run.records} record${run.records === 1 ? "" : "s"}`);
  if (run.attempts > 1) parts.push(`taken over (attempt ${run.attempts})`);
  if (run.error) parts.push(`error: ${escapeMrkdwn(truncate(run.error, 200))}`);
  return truncate(parts.join("  ·  "), 500);
}

export function renderJobs(jobs: JobSummary[]): SlackMessage {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "Scheduled jobs" } }];
  if (!jobs.length) blocks.push({ type: "section", text: { type: "mrkdwn", text: "No job has run yet." } });
  for (const job of jobs) {
    const [last, ...earlier] = job.runs;
    const lines = [`*${escapeMrkdwn(job.job)}*  last run: ${last ? runLine(last) : "never"}`];
    if (earlier.length) lines.push(...earlier.map((run) => `      ${runLine(run)}`));
    for (const text of packLines(lines)) blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  const failing = jobs.filter((job) => job.runs[0]?.status === "failed").length;
  const text = `Scheduled jobs: ${jobs.length}${failing ? `, ${failing} failing` : ""}.`;
  return { text, blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}
