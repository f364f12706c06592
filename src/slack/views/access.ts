// Environment access in Block Kit (pure: data in, blocks out): who has what in an environment, the
// "Request access" button on an environment the user cannot open, the request modal and the Deny modal.
import type { Button, KnownBlock, ModalView, PlainTextOption, StaticSelect } from "@slack/types";
import type { AccessListing } from "../../services/access/access-service.js";
import { describeDuration } from "../../services/access/validation.js";
import { ENVIRONMENT_LEVELS } from "../../services/actor.js";
import { ACTION, INPUT, VIEW } from "../ids.js";
import { escapeMrkdwn, LIMITS, packLines, slackDate, truncate } from "./limits.js";
import type { SlackMessage } from "./vm-list.js";

const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }] });

export function requestAccessButton(environment: string): Button {
  return { type: "button", action_id: ACTION.envRequestAccess, text: { type: "plain_text", text: truncate(`Request access to ${environment}`, LIMITS.buttonText) }, value: truncate(environment, LIMITS.buttonValue) };
}

/** Under an environment list: "Request access" for the environments the user cannot open (a menu when several). */
export function requestAccessBlocks(environments: readonly string[]): KnownBlock[] {
  if (!environments.length) return [];
  const choose: StaticSelect = {
    type: "static_select",
    action_id: ACTION.envRequestAccess,
    placeholder: { type: "plain_text", text: "Request access to…" },
    options: environments.slice(0, LIMITS.selectOptions).map((name) => ({ text: { type: "plain_text", text: truncate(name, LIMITS.optionText) }, value: truncate(name, LIMITS.optionValue) })),
  };
  return [context("You have no access to these yet: ask their admins."), { type: "actions", block_id: "request_access", elements: [environments.length === 1 ? requestAccessButton(environments[0]!) : choose] }];
}

export function renderAccessListing(listing: AccessListing): SlackMessage {
  const grants = listing.grants.map((grant) => {
    const acting = grant.effectiveLevel !== grant.level ? ` (acts as ${grant.effectiveLevel}: not flagged env_admin)` : "";
    const expiry = grant.expiresAt ? ` · until ${slackDate(grant.expiresAt)}` : "";
    const by = grant.grantedBy ? ` · granted by ${escapeMrkdwn(grant.grantedBy)}` : "";
    return `• <@${grant.slackUserId}> *${grant.level}*${acting}${expiry}${by}`;
  });
  const pending = listing.pending.map(
    (request) => `• #${request.id} <@${request.slackUserId}> asks for *${request.level}* (${describeDuration(request.durationHours)}) ${slackDate(request.createdAt)}: ${escapeMrkdwn(request.reason ?? "")}`,
  );
  const title = `Access to ${listing.environment}`;
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: truncate(title, LIMITS.headerText) } }];
  const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });
  blocks.push(...packLines(grants.length ? grants : ["_Nobody has been granted access; global admins hold every access._"]).slice(0, 20).map(section));
  if (pending.length) blocks.push(section("*Waiting for a decision*"), ...packLines(pending).slice(0, 20).map(section));
  blocks.push(context(`\`/vm env grant @user ${listing.environment} viewer|user|admin [for 7d]\` · \`/vm env revoke @user ${listing.environment}\``));
  return { text: title, blocks };
}

const option = (text: string, value: string): PlainTextOption => ({ text: { type: "plain_text", text }, value });
const DURATIONS: [string, string][] = [
  ["Until revoked", "none"],
  ["12 hours", "12h"],
  ["1 day", "1d"],
  ["3 days", "3d"],
  ["7 days", "7d"],
  ["30 days", "30d"],
];

/** The request modal, opened from "Request access to <env>". */
export function renderAccessRequestModal(environment: string): ModalView {
  const levels = ENVIRONMENT_LEVELS.map((level) => option(level, level));
  const durations = DURATIONS.map(([text, value]) => option(text, value));
  return {
    type: "modal",
    callback_id: VIEW.accessRequest,
    private_metadata: truncate(environment, LIMITS.privateMetadata),
    title: { type: "plain_text", text: "Request access" },
    submit: { type: "plain_text", text: "Send request" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(`Ask the admins of *${escapeMrkdwn(environment)}* for access. They get your request by DM.`, LIMITS.sectionText) } },
      {
        type: "input",
        block_id: INPUT.accessLevel.block,
        label: { type: "plain_text", text: "Level" },
        hint: { type: "plain_text", text: "viewer: see its VMs · user: start and stop them · admin: manage who has access (env_admin users only)" },
        element: { type: "static_select", action_id: INPUT.accessLevel.action, options: levels, initial_option: levels[1] },
      },
      {
        type: "input",
        block_id: INPUT.accessDuration.block,
        label: { type: "plain_text", text: "For how long" },
        element: { type: "static_select", action_id: INPUT.accessDuration.action, options: durations, initial_option: durations[4] },
      },
      {
        type: "input",
        block_id: INPUT.accessJustification.block,
        label: { type: "plain_text", text: "Why do you need it?" },
        element: { type: "plain_text_input", action_id: INPUT.accessJustification.action, multiline: true, max_length: 500, placeholder: { type: "plain_text", text: "Demo for ACME on Monday" } },
      },
    ],
  };
}

/** Deny from an approver's DM: the reason the requester will read. */
export function renderDenyModal(request: { id: number; environment: string; level: string; requester: { name: string } }): ModalView {
  return {
    type: "modal",
    callback_id: VIEW.accessDeny,
    private_metadata: String(request.id),
    title: { type: "plain_text", text: "Deny access" },
    submit: { type: "plain_text", text: "Deny" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: truncate(`Deny ${escapeMrkdwn(request.requester.name)} ${escapeMrkdwn(request.level)} access to *${escapeMrkdwn(request.environment)}*. They will read your reason.`, LIMITS.sectionText) },
      },
      {
        type: "input",
        block_id: INPUT.denyReason.block,
        label: { type: "plain_text", text: "Reason" },
        element: { type: "plain_text_input", action_id: INPUT.denyReason.action, multiline: true, max_length: 500, placeholder: { type: "plain_text", text: "Use the staging copy instead" } },
      },
    ],
  };
}
