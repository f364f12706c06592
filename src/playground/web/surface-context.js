// What the Block Kit renderer gets for each surface: who is looking (for mentions and user pickers),
// their entries, field errors, and where interactions go — the playground server, which asks the
// workspace simulator to do what Slack's client would.
import { askToConfirm } from "./layout/dialogs.js";

// Why the workspace simulator did not ask the bot for options, in the words a Slack user would see.
/** @type {Readonly<Record<string, string>>} */
const NOT_ASKED = {
  below_min_query_length: "Type a few more characters",
};

/**
 * @typedef {Object} SurfaceContextDeps
 * @property {import("./api.js").PlaygroundApi} api
 * @property {() => string} userId
 * @property {() => import("./types.js").Snapshot | undefined} snapshot
 * @property {(sending: Promise<import("./api.js").SimulatorReply>) => unknown} perform Sends and reports problems.
 * @property {HTMLElement} dialogLayer Where confirm dialogs open.
 */

/** @param {SurfaceContextDeps} deps */
export function surfaceContexts(deps) {
  /** @param {string} id */
  const nameOf = (id) => {
    const snapshot = deps.snapshot();
    return snapshot?.people.find((person) => person.id === id)?.name ?? (id === snapshot?.bot.id ? snapshot.bot.name : undefined);
  };

  return {
    nameOf,
    /**
     * @param {import("./types.js").Target} target
     * @param {"message" | "modal" | "home"} surface
     * @param {import("./types.js").StateValues} stateValues
     * @param {Record<string, string>} [errors]
     * @returns {import("./types.js").SurfaceContext}
     */
    forSurface(target, surface, stateValues, errors = {}) {
      return {
        surface,
        stateValues,
        errors,
        people: deps.snapshot()?.people ?? [],
        nameOf,
        act: (action) => void deps.perform(deps.api.send("/playground/action", { ...action, user: deps.userId(), target })),
        confirm: (confirm) => askToConfirm(deps.dialogLayer, confirm, nameOf),
        suggest: async (actionId, blockId, typed) => {
          try {
            const reply = await deps.api.suggest({ user: deps.userId(), target, actionId, ...(blockId ? { blockId } : {}), typed });
            if (!reply.sent) return { options: [], hint: NOT_ASKED[reply.notSentReason ?? ""] ?? "No options" };
            if (reply.status !== 200) return { options: [], hint: `The bot answered HTTP ${reply.status}` };
            return { options: reply.options ?? [], ...(reply.problems?.length ? { hint: `Slack would refuse these options: ${reply.problems.join("; ")}` } : {}) };
          } catch (error) {
            return { options: [], hint: String(/** @type {Error} */ (error).message) };
          }
        },
      };
    },
  };
}
