// The playground server's endpoints. Interactions go out one at a time, in order, as a Slack client
// sends them (a value typed into a field reaches the bot before the click that follows it).

/**
 * What the workspace simulator answered (see WorkspaceSimulator in src/playground/slack).
 * @typedef {Object} SimulatorReply
 * @property {number} status HTTP status of the bot's answer (0 when nothing was sent)
 * @property {boolean} sent
 * @property {string} [notSentReason]
 * @property {unknown} [body]
 * @property {string} [ackProblem]
 * @property {string} [responseAction]
 * @property {Record<string, string>} [errors]
 * @property {Record<string, string>} [clientErrors]
 * @property {string[]} [problems]
 * @property {import("./types.js").SlackOption[]} [options]
 */

export class PlaygroundApi {
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();

  /** @param {string} userId empty: the server's default person @returns {Promise<import("./types.js").Snapshot>} */
  async state(userId) {
    return this.#json(await fetch(userId ? `/playground/state?user=${encodeURIComponent(userId)}` : "/playground/state"));
  }

  /**
   * @param {string} path e.g. "/playground/action"
   * @param {Record<string, unknown>} body
   * @returns {Promise<SimulatorReply>}
   */
  send(path, body) {
    const next = this.#queue.then(() => this.#post(path, body));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Not queued: suggestions answer typing and must not wait behind a slow click.
   * @param {Record<string, unknown>} body
   * @returns {Promise<SimulatorReply>}
   */
  suggest(body) {
    return this.#post("/playground/suggest", body);
  }

  /**
   * Calls onChange for every change in the fake workspace (EventSource reconnects by itself).
   * @param {(change: { kind: string, user?: string }) => void} onChange
   * @param {(connected: boolean) => void} onStatus
   */
  watch(onChange, onStatus) {
    const source = new EventSource("/playground/events");
    source.onopen = () => onStatus(true);
    source.onerror = () => onStatus(false);
    source.onmessage = (event) => onChange(JSON.parse(event.data));
    return () => source.close();
  }

  /** @param {string} path @param {Record<string, unknown>} body */
  async #post(path, body) {
    return this.#json(await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  }

  /** @param {Response} response */
  async #json(response) {
    const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body;
  }
}
