// Who is acting and through which surface: passed to every service call so it can authorize and audit.
import type { AuditSource } from "./audit-actions.js";

export type Role = "viewer" | "operator" | "admin";
export const ROLES: readonly Role[] = ["viewer", "operator", "admin"];

export interface Actor {
  userId: number;
  teamId: string;
  slackUserId: string;
  displayName: string | null;
  role: Role;
  /** False once an admin deactivated the user: the policy then refuses every permission. */
  active: boolean;
}

export interface RequestContext {
  actor: Actor;
  source: AuditSource;
}

