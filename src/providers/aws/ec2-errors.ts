// EC2's error codes in the plain words a Slack user reads. The raw code stays in
// CloudProviderError.code, which the audit records.
import { CloudProviderError, ThrottledError } from "../cloud-provider.js";

const THROTTLING_CODES = new Set(["RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException"]);

/** Plain words for the codes the bot meets most; the cloud's message is kept after them. */
const PLAIN_WORDS: Record<string, (action: string) => string> = {
  IncorrectInstanceState: (action) => `The instance is not in a state from which it can be ${pastTense(action)}`,
  InsufficientInstanceCapacity: () =>
    "AWS has no spare capacity for this instance type in this Availability Zone right now; try again later, or another instance type or zone",
  InstanceLimitExceeded: () => "The account's instance quota for this region is used up; ask for a quota increase or stop other instances",
  VcpuLimitExceeded: () => "The account's vCPU quota for this instance family in this region is used up; ask for a quota increase",
  "InvalidInstanceID.NotFound": () => "AWS does not know this instance (it may have been terminated)",
  "InvalidInstanceID.Malformed": () => "This is not a valid EC2 instance id",
  "InvalidSnapshot.NotFound": () => "AWS does not know this snapshot (it may have been deleted)",
  UnauthorizedOperation: (action) => `The bot's AWS identity is not allowed to ${action} (check its IAM policy)`,
  AuthFailure: () => "AWS did not accept the bot's credentials",
  "KMS.DisabledException": () => "The KMS key that encrypts the volume is disabled",
  "KMS.NotFoundException": () => "The KMS key that encrypts the volume no longer exists",
  "KMS.AccessDeniedException": () => "The bot's AWS identity may not use the KMS key that encrypts the volume (missing KMS grant)",
  InvalidKMSKeyState: () => "The KMS key that encrypts the volume cannot be used in its current state",
};

/** Why an instance that was started went back to stopped (its StateReason), in plain words. */
const STATE_REASONS: Record<string, string> = {
  "Client.InvalidKMSKey.InvalidState":
    "The instance stopped again right after starting: the KMS key that encrypts its EBS volume cannot be used (missing KMS grant for the role, or a disabled key)",
  "Client.InternalError":
    "The instance stopped again right after starting: AWS reported a client error, most often an encrypted EBS volume whose KMS key the role cannot use (missing KMS grant)",
  "Server.InsufficientInstanceCapacity": "The instance stopped again: AWS had no capacity for it in this Availability Zone",
  "Server.InternalError": "The instance stopped again: AWS reported an internal error; try again",
  "Client.VolumeLimitExceeded": "The instance stopped again: the account's EBS volume quota is used up",
};

/** A stopped instance with one of these reasons failed to start (rather than being stopped by someone). */
export function isStartFailureReason(code: string | undefined): boolean {
  return code !== undefined && code in STATE_REASONS;
}

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function ec2ErrorCode(error: unknown): string {
  const sdk = error as SdkError;
  return sdk?.Code ?? sdk?.name ?? "Unexpected";
}

/** Maps any error the EC2 client threw onto a CloudProviderError; throttling comes back retryable. */
export function toCloudError(error: unknown, action: string): CloudProviderError {
  if (error instanceof CloudProviderError) return error;
  const sdk = error as SdkError;
  const code = ec2ErrorCode(error);
  const status = sdk?.$metadata?.httpStatusCode;
  const raw = sdk?.message ?? String(error);
  if (THROTTLING_CODES.has(code) || status === 429 || status === 503) {
    return new ThrottledError("aws", `AWS is throttling the bot's requests (${action}); retrying with backoff`, { code });
  }
  const plain = PLAIN_WORDS[code];
  // The code ends the message too, so it reaches the audit details wherever only the message is kept.
  return new CloudProviderError("aws", code, plain ? `${plain(action)}. AWS said: ${raw} (${code})` : `AWS refused to ${action}: ${raw} (${code})`);
}

export function describeStateReason(code: string | undefined, message: string | undefined): string | undefined {
  if (!code && !message) return undefined;
  const plain = code ? STATE_REASONS[code] : undefined;
  return plain ? `${plain} (${code})` : `${message ?? code}${code && message && !message.includes(code) ? ` (${code})` : ""}`;
}

function pastTense(action: string): string {
  const verbs: Record<string, string> = { start: "started", stop: "stopped", reboot: "rebooted" };
  return verbs[action] ?? `${action}ed`;
}
