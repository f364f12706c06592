// Typed domain errors. The Slack edge maps each to a short user-facing message; nothing else leaks.
import { describeBusyVm, type BusyVm } from "./vm-claims.js";

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The actor's role (or access to the environment) does not allow the action. Always audited as `denied`. */
export class ForbiddenError extends DomainError {
  constructor(readonly permission: string, readonly role: string, readonly environment?: string) {
    super(
      environment
        ? `Your access to environment ${environment} does not allow ${permission.replace(/_/g, " ")}. Ask for it with \`/vm env request ${environment} <viewer|user|admin> <why>\`.`
        : `Your role (${role}) does not allow ${permission.replace(/_/g, " ")}.`,
    );
  }
}

/** The actor was deactivated: every permission is refused, whatever the role says. */
export class DeactivatedActorError extends ForbiddenError {
  constructor(permission: string, role: string) {
    super(permission, role);
    this.message = "Your access to this bot has been deactivated, so it shows you nothing. Ask an admin if this is a mistake.";
  }
}

export class NotFoundError extends DomainError {}

export class UnknownVmsError extends NotFoundError {
  constructor(readonly names: string[]) {
    super(`No VM named ${names.map((name) => `"${name}"`).join(", ")}.`);
  }
}

export class ValidationError extends DomainError {}

export class ConflictError extends DomainError {}

/** Every VM asked for has other work in flight; `busy` says what, who asked and since when. */
export class VmBusyError extends ConflictError {
  constructor(readonly busy: BusyVm[]) {
    super(busy.map(describeBusyVm).join("; "));
  }
}
