// `/vm jobs` (admins): the scheduled jobs' recent runs from the job execution log, answered ephemerally.
import { answerLookup } from "../../messages.js";
import { renderJobs } from "../../views/jobs.js";
import { askerOf, type Subcommand } from "./subcommand.js";

export const jobsCommand: Subcommand = {
  name: "jobs",
  usage: "/vm jobs",
  summary: "Scheduled jobs: last runs, status, duration, records, errors (admins)",
  examples: ["/vm jobs"],
  async run({ deps, args, ctx }) {
    const jobs = await deps.services.jobs.recentRuns(ctx);
    await answerLookup(args.client, askerOf(args), renderJobs(jobs));
  },
};
