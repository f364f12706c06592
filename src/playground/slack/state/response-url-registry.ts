// response_urls the workspace simulator issued: each is tied to the user and conversation of one
// interaction (and to the source message for block_actions); Slack honours 5 uses within 30 minutes.
import type { SlackIdFactory } from "../slack-ids.js";

export interface ResponseUrlContext {
  userId: string;
  channelId: string;
  /** The message the interaction came from; replace_original / delete_original act on it. */
  source?: { ts: string; ephemeral: boolean };
}

interface IssuedResponseUrl extends ResponseUrlContext {
  issuedAt: number;
  uses: number;
}

export type ResponseUrlLookup = { ok: true; context: ResponseUrlContext } | { ok: false; error: "expired_url" | "used_url" };

export class ResponseUrlRegistry {
  private readonly urls = new Map<string, IssuedResponseUrl>();

  constructor(
    private readonly ids: SlackIdFactory,
    private readonly now: () => number,
    private readonly limits: { ttlMs: number; maxUses: number },
  ) {}

  issue(context: ResponseUrlContext): string {
    const id = this.ids.secret();
    this.urls.set(id, { ...structuredClone(context), issuedAt: this.now(), uses: 0 });
    return id;
  }

  use(id: string): ResponseUrlLookup {
    const issued = this.urls.get(id);
    if (!issued || this.now() - issued.issuedAt > this.limits.ttlMs) return { ok: false, error: "expired_url" };
    if (issued.uses >= this.limits.maxUses) return { ok: false, error: "used_url" };
    issued.uses += 1;
    const { issuedAt: _issuedAt, uses: _uses, ...context } = issued;
    return { ok: true, context: structuredClone(context) };
  }

  /**
   * A slash command's response_url has no source message until the app answers; that first answer
   * becomes the "original" a later replace_original/delete_original acts on.
   */
  adoptSource(id: string, source: ResponseUrlContext["source"], options: { onlyIfNone?: boolean } = {}): void {
    const issued = this.urls.get(id);
    if (!issued || (options.onlyIfNone && issued.source)) return;
    if (source) issued.source = structuredClone(source);
    else delete issued.source;
  }

  clear(): void {
    this.urls.clear();
  }
}
