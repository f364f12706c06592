// Turns what the OCI SDK throws (OciError: HTTP status, serviceCode, message, opc-request-id) into
// CloudProviderError: plain words first, OCI's own code kept in `code` and its request id in the message.
import { CloudProviderError, InstanceNotFoundError, ThrottledError } from "../cloud-provider.js";

export interface OciErrorContext {
  operation: string;
  resourceId: string;
  isInstance?: boolean;
}

interface RawOciError {
  status?: number;
  code: string;
  message: string;
  requestId?: string;
}

export function toOciError(error: unknown, context: OciErrorContext): CloudProviderError {
  if (error instanceof CloudProviderError) return error;
  const raw = readOciError(error);
  const cloudWords = `${raw.code}: ${raw.message}` + (raw.requestId ? `; opc-request-id ${raw.requestId}` : "");
  if (raw.status === 429 || raw.code === "TooManyRequests") {
    return new ThrottledError("oci", `OCI is throttling requests; retrying later (${cloudWords})`, { code: raw.code || "TooManyRequests" });
  }
  if (raw.code === "NotAuthorizedOrNotFound" && context.isInstance) {
    const notFound = new InstanceNotFoundError("oci", context.resourceId);
    notFound.message += " (or the bot's policy does not let it see it)";
    return notFound;
  }
  return new CloudProviderError("oci", raw.code, `${plainWords(raw, context)} (${cloudWords})`);
}

function plainWords({ status, code, message }: RawOciError, { operation, resourceId }: OciErrorContext): string {
  const subject = resourceId.length > 40 ? `…${resourceId.slice(-12)}` : resourceId;
  if (/out of host capacity|capacity/i.test(message) && (code === "InternalError" || status === 500)) {
    return `OCI has no host capacity for ${subject}'s shape in its availability domain right now; try again later or another shape or domain`;
  }
  if (code === "LimitExceeded" || code === "QuotaExceeded") return `A service limit or compartment quota does not allow the ${operation} of ${subject}`;
  if (code === "NotAuthorizedOrNotFound" || status === 404) {
    return `${subject} was not found, or the bot's policy does not allow it to ${operation} it`;
  }
  if (code === "NotAuthenticated" || status === 401) return "OCI rejected the bot's request signature or credentials";
  if (code === "IncorrectState" || code === "Conflict" || status === 409) {
    return `OCI does not allow the ${operation} of ${subject} in its current state`;
  }
  if (/kms|vault|key/i.test(message) && (status === 400 || status === 403)) {
    return `OCI cannot use the encryption key of ${subject}'s volumes: the service needs a policy for its Vault key`;
  }
  return `OCI could not ${operation} ${subject}`;
}

function readOciError(error: unknown): RawOciError {
  if (typeof error !== "object" || error === null) return { code: "Unknown", message: String(error) };
  const e = error as { statusCode?: number; serviceCode?: string; message?: string; opcRequestId?: string | null };
  return {
    status: e.statusCode,
    code: e.serviceCode || (e.statusCode ? `Http${e.statusCode}` : "Unknown"),
    message: e.message ?? "",
    requestId: e.opcRequestId ?? undefined,
  };
}
