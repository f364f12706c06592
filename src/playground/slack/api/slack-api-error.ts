// A Web API failure in Slack's terms: answered as HTTP 200 { ok: false, error, response_metadata? }.
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length > 0 ? `${code}: ${details.join("; ")}` : code);
    this.name = "SlackApiError";
  }

  toResponse(): Record<string, unknown> {
    const response: Record<string, unknown> = { ok: false, error: this.code };
    if (this.details.length > 0) response.response_metadata = { messages: this.details.map((detail) => `[ERROR] ${detail}`) };
    return response;
  }
}
