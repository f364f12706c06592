// The audit modal: pickers for people, actions, VM, time window and outcome above the results they
// select. Submitting replaces the results; the applied filters ride in private_metadata.
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "../../services/audit-actions.js";
import type { AuditPage } from "../../services/audit-service.js";
import { INPUT, VIEW } from "../ids.js";
import { auditResultBlocks } from "./audit.js";
import { MAX_AUDIT_USERS, MAX_FILTER_NAME, SLACK_USER_ID, decodeAuditState, encodeAuditState, withSpan, type AuditState, type AuditViewFilters } from "./audit-state.js";
import { LIMITS, escapeMrkdwn, truncate } from "./limits.js";

export const TIME_SPANS: readonly { value: string; label: string }[] = [
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "all", label: "All time" },
];

/** What the lower half shows: results, a placeholder while they load, or why there are none. */
export type AuditModalResults = AuditPage | "loading" | { problem: string };

export interface AuditModalView {
  state: AuditState;
  results: AuditModalResults;
  canExport: boolean;
}

function option(value: string, label: string = value): PlainTextOption {
  return { text: { type: "plain_text", text: truncate(label, LIMITS.optionText) }, value };
}

/** The presets, plus the window typed in `/vm audit` (e.g. since:2026-11-01) so it is not lost. */
function spanOptions(span: string | undefined): PlainTextOption[] {
  const options = TIME_SPANS.map((preset) => option(preset.value, preset.label));
  if (span && !TIME_SPANS.some((preset) => preset.value === span)) options.unshift(option(span, `Since ${span}`));
  return options.slice(0, LIMITS.selectOptions);
}

function input(block: { block: string }, label: string, element: InputBlock["element"]): InputBlock {
  return { type: "input", block_id: block.block, optional: true, label: { type: "plain_text", text: label }, element };
}

export function renderAuditModal({ state, results, canExport }: AuditModalView): ModalView {
  const f = state.f;
  const actionOptions = AUDIT_ACTIONS.slice(0, LIMITS.selectOptions).map((action) => option(action));
  const outcomeOptions = AUDIT_OUTCOMES.map((outcome) => option(outcome));
  const spans = spanOptions(f.span);
  const chosen = (options: PlainTextOption[], values: readonly string[] | undefined) => options.filter((candidate) => values?.includes(candidate.value!));
  const initialActions = chosen(actionOptions, f.actions);
  const initialOutcomes = chosen(outcomeOptions, f.outcomes);

  const blocks: KnownBlock[] = [
    input(INPUT.auditUsers, "People", {
      type: "multi_users_select",
      action_id: INPUT.auditUsers.action,
      max_selected_items: MAX_AUDIT_USERS,
      placeholder: { type: "plain_text", text: "Anyone" },
      ...(f.users?.length ? { initial_users: f.users.slice(0, MAX_AUDIT_USERS) } : {}),
    }),
    input(INPUT.auditActions, "Actions", {
      type: "multi_static_select",
      action_id: INPUT.auditActions.action,
      placeholder: { type: "plain_text", text: "Any action" },
      options: actionOptions,
      ...(initialActions.length ? { initial_options: initialActions } : {}),
    }),
    input(INPUT.auditVm, "VM name", {
      type: "plain_text_input",
      action_id: INPUT.auditVm.action,
      max_length: MAX_FILTER_NAME,
      placeholder: { type: "plain_text", text: "Any VM" },
      ...(f.vm ? { initial_value: f.vm } : {}),
    }),
    input(INPUT.auditSince, "When", {
      type: "static_select",
      action_id: INPUT.auditSince.action,
      options: spans,
      initial_option: spans.find((candidate) => candidate.value === (f.span ?? "all")) ?? spans[spans.length - 1]!,
    }),
    input(INPUT.auditOutcome, "Outcome", {
      type: "multi_static_select",
      action_id: INPUT.auditOutcome.action,
      placeholder: { type: "plain_text", text: "Any outcome" },
      options: outcomeOptions,
      ...(initialOutcomes.length ? { initial_options: initialOutcomes } : {}),
    }),
  ];
  if (f.env) {
    const text = `Also limited to environment *${escapeMrkdwn(f.env)}* (from \`/vm audit env:…\`).`;
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }] });
  }
  blocks.push({ type: "divider" });
  if (results === "loading") blocks.push({ type: "section", text: { type: "mrkdwn", text: ":hourglass_flowing_sand: Loading entries…" } });
  else if ("problem" in results) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(results.problem, LIMITS.sectionText) } });
  else blocks.push(...auditResultBlocks({ state, page: results, canExport }, { filtersButton: false }));

  return {
    type: "modal",
    callback_id: VIEW.audit,
    private_metadata: encodeAuditState(state),
    title: { type: "plain_text", text: "Audit log" },
    submit: { type: "plain_text", text: "Apply filters" },
    close: { type: "plain_text", text: "Close" },
    blocks: blocks.slice(0, LIMITS.blocksPerModal),
  };
}

// view.state.values of this modal, as Slack sends it on submit.
type StateValues = Record<string, Record<string, { value?: string | null; selected_users?: string[]; selected_options?: { value?: string }[]; selected_option?: { value?: string } | null }>>;

const submittedSchema = z.object({
  users: z.array(z.string().regex(SLACK_USER_ID)).max(MAX_AUDIT_USERS, `Pick at most ${MAX_AUDIT_USERS} people.`),
  actions: z.array(z.enum(AUDIT_ACTIONS)),
  outcomes: z.array(z.enum(AUDIT_OUTCOMES)),
  vm: z.string().trim().max(MAX_FILTER_NAME, `Use at most ${MAX_FILTER_NAME} characters.`),
  span: z.string().optional(),
});

function appliedFilters(metadata: string | undefined): AuditViewFilters {
  try {
    return decodeAuditState(metadata).f;
  } catch {
    return {}; // a form from an older release: start from no filters rather than fail the submission
  }
}

const FIELD_BLOCK: Record<string, string> = {
  users: INPUT.auditUsers.block,
  actions: INPUT.auditActions.block,
  outcomes: INPUT.auditOutcome.block,
  vm: INPUT.auditVm.block,
  span: INPUT.auditSince.block,
};

/**
 * The filters chosen in the submitted modal, or errors keyed by input block (for response_action
 * "errors"). The environment cannot be picked here, so the one applied before (private_metadata) is kept.
 */
export function readAuditModal(view: { state: { values: StateValues }; private_metadata?: string }, now: Date): { filters: AuditViewFilters } | { errors: Record<string, string> } {
  const values = view.state.values;
  const applied = appliedFilters(view.private_metadata);
  const field = (ids: { block: string; action: string }) => values[ids.block]?.[ids.action];
  const parsed = submittedSchema.safeParse({
    users: field(INPUT.auditUsers)?.selected_users ?? [],
    actions: (field(INPUT.auditActions)?.selected_options ?? []).map((picked) => picked.value),
    outcomes: (field(INPUT.auditOutcome)?.selected_options ?? []).map((picked) => picked.value),
    vm: field(INPUT.auditVm)?.value ?? "",
    span: field(INPUT.auditSince)?.selected_option?.value ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { errors: { [FIELD_BLOCK[String(issue.path[0])] ?? INPUT.auditVm.block]: issue.message } };
  }
  const { users, actions, outcomes, vm, span } = parsed.data;
  const chosen: AuditViewFilters = {
    ...(users.length ? { users } : {}),
    ...(actions.length ? { actions } : {}),
    ...(outcomes.length ? { outcomes } : {}),
    ...(vm ? { vm } : {}),
    ...(applied.env ? { env: applied.env } : {}),
  };
  try {
    return { filters: withSpan(chosen, span, now) };
  } catch (error) {
    return { errors: { [INPUT.auditSince.block]: (error as Error).message } };
  }
}
