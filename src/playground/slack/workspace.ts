// Plays the Slack platform towards the bot: builds the payloads Slack sends for what simulated users
// do (commands, clicks, selections, modal submissions, App Home visits), POSTs them signed to the
// bot's Request URL, and applies the bot's answers (command acks, response_action) to the stand-in.
import { SlackApiError } from "./api/slack-api-error.js";
import { isJsonObject, type JsonObject, type SlackOption, type StateValue } from "./json-types.js";
import { findElement, type LocatedElement } from "./blocks/block-walk.js";
import { overflowOption, stateValueFromInput, type UserInput } from "./blocks/element-values.js";
import { BotEndpoint, type BotReply, type DeliveryOptions, type DeliveryRecord } from "./simulator/bot-endpoint.js";
import { eventCallbackEnvelope, urlVerificationBody } from "./simulator/event-payloads.js";
import {
  blockActionsPayload,
  blockSuggestionPayload,
  elementAction,
  slashCommandFields,
  viewClosedPayload,
  viewSubmissionPayload,
  type InteractionContext,
} from "./simulator/interaction-payloads.js";
import { refreshSurface, resolveSurface, type InteractionTarget, type Surface } from "./simulator/surfaces.js";
import { applyViewSubmissionAck, type ViewSubmissionOutcome } from "./simulator/view-submission-ack.js";
import { emptyRequiredInputs, responseUrlRequests } from "./simulator/view-inputs.js";
import type { ResponseUrlContext } from "./state/response-url-registry.js";
import { applyResponseMessage } from "./state/response-messages.js";
import type { SlackUserInput, SlackUserRecord } from "./state/user-directory.js";
import type { SlackWebApiStandIn } from "./web-api-stand-in.js";

export interface WorkspaceSimulatorOptions {
  standIn: SlackWebApiStandIn;
  /** Where the bot's Bolt HTTP receiver listens, e.g. "http://127.0.0.1:3000". */
  botUrl: string;
  signingSecret: string;
  /** Bolt's default endpoint. */
  eventsPath?: string;
}

export interface InteractionOptions {
  delivery?: DeliveryOptions;
}

export interface ElementOptions extends InteractionOptions {
  /** Needed only when the action_id appears in more than one block. */
  blockId?: string;
  /** For elements with a `confirm` dialog: did the user press the confirm button? Default true. */
  confirm?: boolean;
}

export type NotSentReason = "not_confirmed" | "no_dispatch" | "below_min_query_length" | "required_inputs_empty" | "no_notify_on_close";

export interface InteractionReply extends BotReply {
  /** False when Slack would not have contacted the bot (status is then 0). */
  sent: boolean;
  notSentReason?: NotSentReason;
  triggerId?: string;
  responseUrl?: string;
}

export interface CommandReply extends InteractionReply {
  /** Set when the ack body could not be shown the way Slack would show it. */
  ackProblem?: string;
}

export interface SuggestionReply extends InteractionReply {
  options: SlackOption[];
  optionGroups: JsonObject[];
  problems: string[];
}

export interface ViewSubmissionReply extends InteractionReply, Partial<ViewSubmissionOutcome> {
  /** Required inputs left empty, when the client refused to submit. */
  clientErrors?: Record<string, string>;
}

export interface EventReply extends InteractionReply {
  envelope: JsonObject;
}

const NOT_SENT: BotReply = { status: 0, body: undefined, rawBody: "" };
// Slack's default for external selects.
const DEFAULT_MIN_QUERY_LENGTH = 3;

export class WorkspaceSimulator {
  /** Settable: in the playground the bot may start after the workspace. */
  botUrl: string;
  private readonly endpoint: BotEndpoint;
  private readonly standIn: SlackWebApiStandIn;

  constructor(options: WorkspaceSimulatorOptions) {
    this.standIn = options.standIn;
    this.botUrl = options.botUrl;
    const eventsPath = options.eventsPath ?? "/slack/events";
    this.endpoint = new BotEndpoint(() => `${this.botUrl.replace(/\/$/, "")}${eventsPath}`, options.signingSecret);
  }

  /** Every request sent to the bot, with headers, body and the bot's answer. */
  get deliveries(): readonly DeliveryRecord[] {
    return this.endpoint.deliveries;
  }

  /** Forgets recorded deliveries (the stand-in's own reset() clears the workspace state). */
  reset(): void {
    this.endpoint.forget();
  }

  addUser(input: SlackUserInput): SlackUserRecord {
    return this.standIn.addUser(input);
  }

  /** A user types `/command text` in a channel (default: the stand-in's default channel). */
  async command(userId: string, command: string, text = "", options: InteractionOptions & { channel?: string } = {}): Promise<CommandReply> {
    const context = this.context(userId);
    const channel = options.channel ? this.state.resolveChannel(options.channel) : this.standIn.defaultChannel;
    const triggerId = this.state.triggers.issue(userId);
    const responseUrlContext: ResponseUrlContext = { userId, channelId: channel.id };
    const responseUrlId = this.state.responseUrls.issue(responseUrlContext);
    const responseUrl = this.responseUrl(responseUrlId);
    const reply = await this.endpoint.deliver({ kind: "form", fields: slashCommandFields(context, channel, command, text, { triggerId, responseUrl }) }, options.delivery);
    const ackProblem = reply.status === 200 ? this.showCommandAck(responseUrlContext, responseUrlId, reply.body) : undefined;
    return { ...reply, sent: true, triggerId, responseUrl, ...(ackProblem ? { ackProblem } : {}) };
  }

  async clickButton(userId: string, target: InteractionTarget, actionId: string, options: ElementOptions = {}): Promise<InteractionReply> {
    const surface = resolveSurface(this.state, userId, target);
    const located = this.element(surface, actionId, options.blockId);
    if (located.element.type !== "button") throw new Error(`"${actionId}" is a ${located.element.type}, not a button`);
    if (!confirmed(located, options)) return { ...NOT_SENT, sent: false, notSentReason: "not_confirmed" };
    return this.sendBlockActions(userId, surface, located, undefined, options);
  }

  /**
   * A user changes an input: ticks checkboxes, picks options/users/dates, types text. The new value
   * is kept (per user, per message or view) and, where Slack dispatches it, a block_actions is sent.
   */
  async setInput(userId: string, target: InteractionTarget, actionId: string, input: UserInput, options: ElementOptions = {}): Promise<InteractionReply> {
    const surface = resolveSurface(this.state, userId, target);
    const located = this.element(surface, actionId, options.blockId);
    if (!confirmed(located, options)) return { ...NOT_SENT, sent: false, notSentReason: "not_confirmed" };
    if (located.element.type === "overflow") {
      // An overflow menu holds no state; it only reports the chosen option.
      return this.sendBlockActions(userId, surface, located, undefined, options, { selected_option: overflowOption(located.element, String(input)) });
    }
    const value = stateValueFromInput(located.element, input);
    this.state.enterInput(surface.stateKey, userId, String(located.block.block_id), String(located.element.action_id), value);
    // Inputs inside input blocks only dispatch when the block asks for it (dispatch_action).
    if (located.block.type === "input" && located.block.dispatch_action !== true) return { ...NOT_SENT, sent: false, notSentReason: "no_dispatch" };
    return this.sendBlockActions(userId, refreshSurface(this.state, userId, surface), located, value, options);
  }

  selectCheckboxes(userId: string, target: InteractionTarget, actionId: string, values: readonly string[], options: ElementOptions = {}): Promise<InteractionReply> {
    return this.setInput(userId, target, actionId, values, options);
  }

  /** Static/external/users/conversations selects, radio buttons, overflow menus, date pickers. */
  selectOption(userId: string, target: InteractionTarget, actionId: string, value: UserInput, options: ElementOptions = {}): Promise<InteractionReply> {
    return this.setInput(userId, target, actionId, value, options);
  }

  typeText(userId: string, target: InteractionTarget, actionId: string, text: string, options: ElementOptions = {}): Promise<InteractionReply> {
    return this.setInput(userId, target, actionId, text, options);
  }

  /**
   * A user fills in (values keyed by action_id, or "block_id::action_id") and submits their top modal view.
   * The bot's response_action is applied to the view stack and returned.
   */
  async submitView(userId: string, viewId: string, values: Readonly<Record<string, UserInput>> = {}, options: InteractionOptions = {}): Promise<ViewSubmissionReply> {
    const surface = this.topModal(userId, viewId);
    if (!surface.view.submit) throw new Error(`${viewId} has no submit button, so it cannot be submitted`);
    for (const [key, input] of Object.entries(values)) {
      const [blockId, actionId] = key.includes("::") ? key.split("::", 2) : [undefined, key];
      const located = this.element(surface, actionId!, blockId);
      this.state.enterInput(surface.stateKey, userId, String(located.block.block_id), String(located.element.action_id), stateValueFromInput(located.element, input));
    }
    const view = this.state.views.find(viewId)!.view;
    const clientErrors = emptyRequiredInputs(view);
    if (Object.keys(clientErrors).length > 0) return { ...NOT_SENT, sent: false, notSentReason: "required_inputs_empty", clientErrors };

    const triggerId = this.state.triggers.issue(userId);
    const responseUrls = responseUrlRequests(view).map(({ blockId, actionId, channelId }) => ({
      block_id: blockId,
      action_id: actionId,
      channel_id: channelId,
      response_url: this.responseUrl(this.state.responseUrls.issue({ userId, channelId })),
    }));
    const payload = viewSubmissionPayload(this.context(userId), view, triggerId, responseUrls);
    const reply = await this.endpoint.deliver({ kind: "form", fields: { payload: JSON.stringify(payload) } }, options.delivery);
    if (reply.status !== 200) return { ...reply, sent: true, triggerId };
    return { ...reply, sent: true, triggerId, ...applyViewSubmissionAck(this.state, userId, view, reply.body) };
  }

  /** A user presses the modal's close button: view_closed is sent only if the view asked (notify_on_close). */
  async closeView(userId: string, viewId: string, options: InteractionOptions = {}): Promise<InteractionReply> {
    const { view } = this.topModal(userId, viewId);
    this.state.closeViews(userId, viewId, view.clear_on_close);
    if (!view.notify_on_close) return { ...NOT_SENT, sent: false, notSentReason: "no_notify_on_close" };
    const payload = viewClosedPayload(this.context(userId), view, view.clear_on_close);
    const reply = await this.endpoint.deliver({ kind: "form", fields: { payload: JSON.stringify(payload) } }, options.delivery);
    return { ...reply, sent: true };
  }

  /** A user types into an external select: block_suggestion, answered with the bot's options. */
  async suggest(userId: string, target: InteractionTarget, actionId: string, typed: string, options: ElementOptions = {}): Promise<SuggestionReply> {
    const surface = resolveSurface(this.state, userId, target);
    const located = this.element(surface, actionId, options.blockId);
    if (!["external_select", "multi_external_select"].includes(located.element.type)) throw new Error(`"${actionId}" is a ${located.element.type}, not an external select`);
    const minLength = typeof located.element.min_query_length === "number" ? located.element.min_query_length : DEFAULT_MIN_QUERY_LENGTH;
    if (typed.length < minLength) return { ...NOT_SENT, sent: false, notSentReason: "below_min_query_length", options: [], optionGroups: [], problems: [] };
    const payload = blockSuggestionPayload(this.context(userId), surface, located, typed);
    const reply = await this.endpoint.deliver({ kind: "form", fields: { payload: JSON.stringify(payload) } }, options.delivery);
    return { ...reply, sent: true, ...suggestionsOf(reply.body) };
  }

  /** A user opens the app's Home tab: app_home_opened (carrying their published home view, if any). */
  openHome(userId: string, options: InteractionOptions = {}): Promise<EventReply> {
    this.context(userId);
    const channel = this.state.channels.dmFor(userId);
    const home = this.state.views.home(userId);
    return this.sendEvent({ type: "app_home_opened", user: userId, channel: channel.id, tab: "home", ...(home ? { view: home } : {}) }, options);
  }

  /** Any Events API event, wrapped in the event_callback envelope. */
  async sendEvent(event: JsonObject, options: InteractionOptions = {}): Promise<EventReply> {
    const envelope = eventCallbackEnvelope(this.standIn.identity, this.state.ids, event);
    return this.redeliverEvent(envelope, options.delivery ?? {});
  }

  /** Delivers an envelope again, e.g. with { retryNum: 1, retryReason: "http_timeout" } as Slack's retries do. */
  async redeliverEvent(envelope: JsonObject, delivery: DeliveryOptions): Promise<EventReply> {
    const reply = await this.endpoint.deliver({ kind: "json", body: envelope }, delivery);
    return { ...reply, sent: true, envelope };
  }

  /** The handshake Slack performs when the Request URL is saved. */
  async urlVerification(challenge = this.state.ids.secret(), options: InteractionOptions = {}): Promise<InteractionReply> {
    const reply = await this.endpoint.deliver({ kind: "json", body: urlVerificationBody(this.standIn.identity, challenge) }, options.delivery);
    return { ...reply, sent: true };
  }

  private get state() {
    return this.standIn.state;
  }

  private context(userId: string): InteractionContext {
    const user = this.standIn.user(userId);
    if (!user) throw new Error(`Unknown user ${userId}: register it with addUser first`);
    return { identity: this.standIn.identity, user };
  }

  private element(surface: Surface, actionId: string, blockId: string | undefined): LocatedElement {
    const located = findElement(surface.blocks, actionId, blockId);
    if (!located) throw new Error(`No element with action_id "${actionId}"${blockId ? ` in block "${blockId}"` : ""} on this ${surface.kind}`);
    return located;
  }

  private topModal(userId: string, viewId: string): Extract<Surface, { kind: "view" }> {
    const surface = resolveSurface(this.state, userId, { viewId });
    if (surface.kind !== "view" || surface.surface !== "modal") throw new Error(`${viewId} is not a modal`);
    if (this.state.views.modalStack(userId).at(-1)?.id !== viewId) throw new Error(`${viewId} is not the view on top of ${userId}'s modal`);
    return surface;
  }

  private responseUrl(id: string): string {
    return `${this.standIn.baseUrl}/response/${id}`;
  }

  private async sendBlockActions(userId: string, surface: Surface, located: LocatedElement, value: StateValue | undefined, options: ElementOptions, extra: JsonObject = {}): Promise<InteractionReply> {
    const triggerId = this.state.triggers.issue(userId);
    // Slack gives no response_url for interactions inside views.
    const responseUrl =
      surface.kind === "view"
        ? undefined
        : this.responseUrl(this.state.responseUrls.issue({ userId, channelId: surface.channel.id, source: { ts: surface.message.ts, ephemeral: surface.kind === "ephemeral" } }));
    const stateValues = this.state.inputs.valuesFor(surface.stateKey, surface.blocks);
    const action = elementAction(located, value, this.state.ids.ts(), extra);
    const payload = blockActionsPayload(this.context(userId), surface, action, stateValues, { triggerId, ...(responseUrl ? { responseUrl } : {}) });
    const reply = await this.endpoint.deliver({ kind: "form", fields: { payload: JSON.stringify(payload) } }, options.delivery);
    return { ...reply, sent: true, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** Slack shows a slash command's ack body like a response_url message (ephemeral unless in_channel). */
  private showCommandAck(context: ResponseUrlContext, responseUrlId: string, body: unknown): string | undefined {
    if (body === "" || body === undefined) return undefined;
    const message = isJsonObject(body) ? body : { text: String(body) };
    try {
      const applied = applyResponseMessage(this.state, context, message, "command_response");
      this.state.responseUrls.adoptSource(responseUrlId, applied.source, { onlyIfNone: true });
      return undefined;
    } catch (error) {
      if (error instanceof SlackApiError) return error.message;
      throw error;
    }
  }
}

function confirmed(located: LocatedElement, options: ElementOptions): boolean {
  return !isJsonObject(located.element.confirm) || options.confirm !== false;
}

function suggestionsOf(body: unknown): Pick<SuggestionReply, "options" | "optionGroups" | "problems"> {
  if (!isJsonObject(body)) return { options: [], optionGroups: [], problems: ["the bot answered without an options object"] };
  const options = Array.isArray(body.options) ? (body.options as SlackOption[]) : [];
  const optionGroups = Array.isArray(body.option_groups) ? (body.option_groups as JsonObject[]) : [];
  const problems: string[] = [];
  if (options.length > 0 && optionGroups.length > 0) problems.push("both options and option_groups");
  if (options.length > 100) problems.push(`${options.length} options; Slack shows at most 100`);
  if (optionGroups.length > 100) problems.push(`${optionGroups.length} option groups; Slack allows at most 100`);
  return { options, optionGroups, problems };
}
