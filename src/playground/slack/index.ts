// The fake Slack used by end-to-end tests and the local playground: a Web API stand-in with real
// state, and a workspace simulator that plays Slack's side towards the bot's Request URL.
export { SlackWebApiStandIn, DEFAULT_BOT_TOKEN, DEFAULT_APP_TOKEN, RESPONSE_URL_FAULTS } from "./web-api-stand-in.js";
export type { WebApiStandInOptions, ApiCallRecord, SpecViolation, WebApiFault } from "./web-api-stand-in.js";
export { WorkspaceSimulator } from "./workspace.js";
export type {
  WorkspaceSimulatorOptions,
  InteractionOptions,
  ElementOptions,
  InteractionReply,
  CommandReply,
  SuggestionReply,
  ViewSubmissionReply,
  EventReply,
  NotSentReason,
} from "./workspace.js";
export { loadSlackSpecValidator, createSlackSpecValidator } from "./spec/spec-validator.js";
export type { SlackSpecValidator, SpecCheckResult, SpecProblem, SpecSource } from "./spec/spec-validator.js";
export { SPEC_SUPPLEMENT } from "./spec/spec-supplement.js";
export { slackSignature } from "./simulator/request-signing.js";
export type { DeliveryOptions, DeliveryRecord, BotReply } from "./simulator/bot-endpoint.js";
export type { InteractionTarget } from "./simulator/surfaces.js";
export type { ViewSubmissionOutcome, ViewResponseAction } from "./simulator/view-submission-ack.js";
export type { UserInput } from "./blocks/element-values.js";
export type { StandInChange, StandInChangeListener } from "./state/state-change.js";
export type { StoredMessage, StoredEphemeral, MessageOrigin } from "./state/conversation-store.js";
export type { SlackView } from "./state/view-registry.js";
export type { SlackFile, StoredFile } from "./state/file-store.js";
export type { SlackUserInput, SlackUserRecord, ChannelRecord } from "./state/user-directory.js";
export { DEFAULT_WORKSPACE_IDENTITY } from "./state/workspace-identity.js";
export type { WorkspaceIdentity } from "./state/workspace-identity.js";
export type { JsonObject, SlackBlock, SlackOption, StateValue, StateValues } from "./json-types.js";
