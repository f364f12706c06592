// `/vm jobs` (admins): the scheduled jobs' recent runs from the job execution log, answered ephemerally.
import { renderJobs } from "../../views/jobs.js";
import type { Subcommand } from "./subcommand.js";

export const jobsCommand: Subcommand = {
  name: "jobs",
  usage: "/vm jobs",
  summary: "Scheduled jobs: last runs, status, duration, records, errors (admins)",
  examples: ["/vm jobs"],
  async run({ deps, args, ctx }) {
    const jobs = await deps.services.jobs.recentRuns(ctx);
    await args.respond({ response_type: "ephemeral", ...renderJobs(jobs) });
  },
};
