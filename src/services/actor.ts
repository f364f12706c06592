// Who is acting and through which surface: passed to every service call so it can authorize and audit.
import type { AuditSource } from "./audit-actions.js";

export type Role = "viewer" | "operator" | "admin";
export const ROLES: readonly Role[] = ["viewer", "operator", "admin"];

/** A user's standing in one environment, on top of their global role. */
export type EnvironmentLevel = "viewer" | "user" | "admin";
export const ENVIRONMENT_LEVELS: readonly EnvironmentLevel[] = ["viewer", "user", "admin"];

export interface Actor {
  userId: number;
  teamId: string;
  slackUserId: string;
  displayName: string | null;
  role: Role;
  /** False once an admin deactivated the user: the policy then refuses every permission. */
  active: boolean;
  /** Set by a global admin: only such users may be made an environment's admin. */
  envAdmin: boolean;
  /** The user's active, unexpired access per environment id, read when the request began. */
  environments: Readonly<Record<number, EnvironmentLevel>>;
}

export interface RequestContext {
  actor: Actor;
  source: AuditSource;
}
