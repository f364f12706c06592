// Turns what the Azure SDK throws (RestError from ARM, or the poller's "long-running operation has
// failed" Error) into CloudProviderError: plain words first, the cloud's own code kept in `code`.
import { CloudProviderError, InstanceNotFoundError, ThrottledError } from "../cloud-provider.js";

export interface ArmErrorContext {
  /** What the bot was doing, e.g. "start". */
  operation: string;
  /** The VM or snapshot concerned (a VM id turns "not found" into InstanceNotFoundError). */
  resourceId: string;
  isInstance?: boolean;
}

interface RawArmError {
  status?: number;
  code: string;
  message: string;
  retryAfterMs?: number;
}

export function toAzureError(error: unknown, context: ArmErrorContext): CloudProviderError {
  if (error instanceof CloudProviderError) return error;
  const raw = readArmError(error);
  if (raw.status === 429 || /TooManyRequests|Throttled/i.test(raw.code)) {
    return new ThrottledError("azure", `Azure is throttling requests; retrying later (${raw.code}: ${raw.message})`, { code: raw.code, retryAfterMs: raw.retryAfterMs });
  }
  if ((raw.status === 404 || /NotFound/i.test(raw.code)) && context.isInstance) {
    return new InstanceNotFoundError("azure", context.resourceId);
  }
  return new CloudProviderError("azure", raw.code, `${plainWords(raw, context)} (${raw.code}: ${raw.message})`);
}

function plainWords({ status, code, message }: RawArmError, { operation, resourceId }: ArmErrorContext): string {
  const subject = resourceId.split("/").pop() ?? resourceId;
  if (/AllocationFailed|ZonalAllocationFailed|OverconstrainedAllocationRequest|SkuNotAvailable/i.test(code)) {
    return `Azure has no capacity for ${subject}'s size in its region or zone right now; try again later, or another size or zone`;
  }
  if (/KeyVault|DiskEncryptionSet|Encryption/i.test(code) || /Key ?Vault|disk encryption set/i.test(message)) {
    return `Azure cannot use the encryption key of ${subject}'s disks: the disk encryption set's identity needs access to its Key Vault key`;
  }
  if (/Quota/i.test(code) || (code === "OperationNotAllowed" && /quota/i.test(message))) {
    return `The subscription's quota does not allow the ${operation} of ${subject}; ask for a quota increase`;
  }
  if (/AuthorizationFailed|LinkedAuthorizationFailed/i.test(code) || status === 403) {
    return `The bot's Azure identity is not allowed to ${operation} ${subject}; grant its role the missing action`;
  }
  if (/InvalidAuthenticationToken|ExpiredAuthenticationToken/i.test(code) || status === 401) {
    return "Azure rejected the bot's credentials";
  }
  if (/NotFound/i.test(code) || status === 404) return `${subject} was not found in Azure`;
  if (code === "OperationNotAllowed" || code === "Conflict" || status === 409) {
    return `Azure does not allow the ${operation} of ${subject} in its current state`;
  }
  return `Azure could not ${operation} ${subject}`;
}

// The poller reports a failed operation as "The long-running operation has failed. <code>. <message>".
const FAILED_OPERATION = /^The long-running operation has failed\. ([\w.\/-]+)\. ([\s\S]*)$/;

function readArmError(error: unknown): RawArmError {
  if (typeof error !== "object" || error === null) return { code: "Unknown", message: String(error) };
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    statusCode?: number;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  if (e.name === "AbortError") return { code: "OperationTimeout", message: "Azure did not finish the operation in time" };
  const [, failedCode, failedMessage] = FAILED_OPERATION.exec(e.message ?? "") ?? [];
  if (failedCode) return { code: failedCode, message: failedMessage ?? "" };
  return {
    status: e.statusCode,
    code: e.code ?? (e.statusCode ? `Http${e.statusCode}` : "Unknown"),
    message: e.message ?? "",
    retryAfterMs: parseRetryAfter(e.response?.headers?.get?.("retry-after")),
  };
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
