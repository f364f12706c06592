// Bolt runs the middleware chain of every registered listener for every request, so a click cost grows
// with the number of listeners (about 60 here: 9% of the bot's CPU went to Bolt matching ids). Listeners
// of a fixed action id or view callback id go into a table instead, and one Bolt listener per kind looks
// the id up: each request runs one listener. Anything else (a RegExp, a constraint object, listener
// middleware) is registered with Bolt as it comes.
import type { AnyMiddlewareArgs, App } from "@slack/bolt";

type Handler = (args: AnyMiddlewareArgs & Record<string, unknown>) => Promise<void>;

/** `app`, with `action(id, handler)` and `view(id, handler)` for string ids routed through one table each. */
export function routingFixedIds(app: App): App {
  const actions = new Map<string, Handler>();
  const views = new Map<string, Handler>();
  const add = (table: Map<string, Handler>, id: string, handler: Handler) => {
    if (table.has(id)) throw new Error(`two listeners for "${id}"`);
    table.set(id, handler);
  };
  // A request whose id no listener knows is left unacknowledged, as Bolt leaves it without a match.
  app.action(/.*/, async (args) => {
    const id = (args.action as { action_id?: string }).action_id;
    await actions.get(id ?? "")?.(args as never);
  });
  app.view({ callback_id: /.*/, type: "view_submission" }, async (args) => {
    await views.get(args.view.callback_id)?.(args as never);
  });
  return new Proxy(app, {
    get(target, property, receiver) {
      if (property === "action" || property === "view") {
        const table = property === "action" ? actions : views;
        return (constraint: unknown, ...listeners: Handler[]) => {
          if (typeof constraint === "string" && listeners.length === 1) return add(table, constraint, listeners[0]!);
          return (target[property] as (...args: unknown[]) => void)(constraint, ...listeners);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
