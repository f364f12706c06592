// Compute Engine failures in plain words. Two shapes reach the bot: an HTTP error on the call itself
// (google-gax GoogleError with a gRPC status code) and an `error` inside an operation that ended
// DONE (codes such as ZONE_RESOURCE_POOL_EXHAUSTED). The raw code stays in CloudProviderError.code.
import { CloudProviderError, ThrottledError } from "../cloud-provider.js";

const OPERATION_CODES: Record<string, string> = {
  ZONE_RESOURCE_POOL_EXHAUSTED: "Google Cloud has no spare capacity for this machine type in this zone right now; try again later, or another machine type or zone",
  ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: "Google Cloud has no spare capacity for this machine type in this zone right now; try again later, or another machine type or zone",
  QUOTA_EXCEEDED: "The project's quota (CPUs, disks or addresses) in this region is used up; ask for a quota increase",
  RESOURCE_NOT_FOUND: "Google Cloud does not know this resource (it may have been deleted)",
  RESOURCE_NOT_READY: "The resource is busy with another operation; try again in a moment",
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: "The resource is still in use by another resource",
  PERMISSION_DENIED: "The bot's Google identity is not allowed to do this (check its IAM roles)",
  ACCESS_DENIED: "The bot's Google identity is not allowed to do this (check its IAM roles)",
};

/** gRPC status codes google-gax puts on errors it decodes itself. */
const GRPC: Record<number, number> = { 5: 404, 7: 403, 8: 429, 14: 503, 16: 401 };

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);

interface GoogleErrorBody {
  httpStatus?: number;
  reason?: string;
  status?: string;
  message: string;
}

/**
 * The REST transport fails in two shapes: a GaxiosError from the auth client's fetch (HTTP status,
 * the JSON error body as its message) or a GoogleError (a gRPC code). Both become one body here.
 */
function readError(error: unknown): GoogleErrorBody {
  const failure = error as { code?: unknown; status?: unknown; message?: string; reason?: string; response?: { status?: number } };
  const message = failure?.message ?? String(error);
  let body: { error?: { code?: number; message?: string; status?: string; errors?: { reason?: string }[] } } | undefined;
  try {
    body = JSON.parse(message);
  } catch {
    body = undefined;
  }
  const httpStatus =
    failure?.response?.status ?? body?.error?.code ?? (typeof failure?.status === "number" ? failure.status : undefined) ?? (typeof failure?.code === "number" ? GRPC[failure.code] : undefined);
  return {
    httpStatus,
    reason: body?.error?.errors?.[0]?.reason ?? failure?.reason,
    status: body?.error?.status,
    message: body?.error?.message ?? message,
  };
}

export function toCloudError(error: unknown, action: string): CloudProviderError {
  if (error instanceof CloudProviderError) return error;
  const { httpStatus, reason, status, message } = readError(error);
  if (httpStatus === 429 || (reason && RATE_LIMIT_REASONS.has(reason))) {
    return new ThrottledError("gcp", `Google Cloud is throttling the bot's requests (${action}); retrying with backoff`, { code: reason ?? "rateLimitExceeded" });
  }
  if (httpStatus === 503) return new ThrottledError("gcp", `Google Cloud is unavailable for a moment (${action}); retrying with backoff`, { code: reason ?? "UNAVAILABLE" });
  if (reason === "quotaExceeded" || /quota/i.test(message)) {
    return new CloudProviderError("gcp", reason ?? "QUOTA_EXCEEDED", `${OPERATION_CODES.QUOTA_EXCEEDED}. Google said: ${message}`);
  }
  if (httpStatus === 404) return new CloudProviderError("gcp", "NOT_FOUND", `Google Cloud does not know this resource (it may have been deleted). Google said: ${message}`);
  if (httpStatus === 403 || httpStatus === 401) {
    return new CloudProviderError("gcp", reason ?? "PERMISSION_DENIED", `The bot's Google identity is not allowed to ${action} (check its IAM roles). Google said: ${message}`);
  }
  if (reason === "resourceNotReady") {
    return new CloudProviderError("gcp", reason, `The instance is not in a state that allows it to ${action} now. Google said: ${message}`);
  }
  return new CloudProviderError("gcp", reason ?? status ?? (httpStatus ? `HTTP_${httpStatus}` : "Unexpected"), `Google Cloud refused to ${action}: ${message}`);
}

/** An operation that ended DONE with errors: the first error decides the code. */
export function operationError(errors: { code?: string | null; message?: string | null }[], action: string): CloudProviderError {
  const first = errors[0] ?? {};
  const code = first.code ?? "OPERATION_FAILED";
  const raw = errors.map((error) => error.message).filter(Boolean).join("; ");
  const plain = OPERATION_CODES[code];
  return new CloudProviderError("gcp", code, plain ? `${plain}. Google said: ${raw} (${code})` : `Google Cloud could not ${action}: ${raw || code} (${code})`);
}
