// The fake workspace's people: the demo users the seed gives roles to (same ids, so the bot's
// policy applies to them), and the channel the playground opens in.
import { DEMO_USERS, type DemoRole } from "../seed/demo-users.js";
import type { SlackWebApiStandIn } from "./slack/index.js";

export const PLAYGROUND_CHANNEL = "vm-ops";

/** Who the page can act as, and who shows up in user pickers. */
export interface PlaygroundPerson {
  id: string;
  name: string;
  /** The role the demo data gives them (a label only: `/vm role` can change the real one). */
  demoRole: DemoRole;
  /** Offered in the page's user switcher: one user per role. */
  switchable: boolean;
}

const SWITCHABLE = new Set(["U0DEMOADMIN", "U0DEMOOPS1", "U0DEMOVIEW"]);

export function registerDemoPeople(standIn: SlackWebApiStandIn): PlaygroundPerson[] {
  return DEMO_USERS.map((user) => {
    standIn.addUser({ id: user.slackUserId, name: user.email.split("@")[0]!, real_name: user.displayName, display_name: user.displayName, email: user.email });
    return { id: user.slackUserId, name: user.displayName, demoRole: user.role, switchable: SWITCHABLE.has(user.slackUserId) };
  });
}

/** Who the page acts as when the URL names nobody: the first demo person, the admin, who can do everything. */
export function defaultPerson(people: readonly PlaygroundPerson[]): PlaygroundPerson {
  const first = people[0];
  if (!first) throw new Error("the playground has no people");
  return first;
}
