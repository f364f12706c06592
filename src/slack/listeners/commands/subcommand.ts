// The shape of one `/vm <subcommand>` handler; the router in vm-command.ts dispatches to these.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { RequestContext } from "../../../services/actor.js";
import type { SlackDeps } from "../../deps.js";

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export interface SubcommandInput {
  deps: SlackDeps;
  args: CommandArgs;
  ctx: RequestContext;
  /** Words after the subcommand, e.g. ["create", "web-1"] for `/vm snapshot create web-1`. */
  argv: string[];
  /** Everything after the subcommand, unsplit. */
  rest: string;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  examples: string[];
  run(input: SubcommandInput): Promise<void>;
}

/** A wrong invocation: the router answers with this subcommand's usage. */
export class UsageError extends Error {}

/** Who typed the command and where: a lookup is answered to them alone, through the command's response_url. */
export function askerOf(args: CommandArgs): { user: string; channel: string; responseUrl: string } {
  return { user: args.command.user_id, channel: args.command.channel_id, responseUrl: args.command.response_url };
}
