// The provider error catalog: each cloud's error codes (AWS EC2/KMS, Azure ARM, Compute Engine, OCI, the
// simulator) mapped to a category, a plain-words message and a suggested action. Users read the explanation;
// the raw code and the cloud's own message stay in CloudProviderError and in the audit details.
// Codes from each provider's error reference: EC2 API error codes and instance state reasons, ARM / Compute
// error codes, Compute Engine operation errors and API reasons, OCI "API Errors" (common to all services).
import { CloudProviderError, type ProviderKind } from "./cloud-provider.js";

export const ERROR_CATEGORIES = [
  "authentication",
  "authorization",
  "rate_limit",
  "quota",
  "capacity",
  "not_found",
  "state_conflict",
  "encryption_key",
  "network",
  "internal",
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface ErrorExplanation {
  provider: ProviderKind;
  /** The cloud's own code, as it said it. */
  code: string;
  category: ErrorCategory;
  /** What went wrong, in plain words. */
  message: string;
  /** What to do about it. */
  action: string;
}

const CATEGORY_TEXT: Record<ErrorCategory, { message: string; action: string }> = {
  authentication: { message: "The cloud did not accept the bot's credentials.", action: "An admin should check or renew the bot's cloud credentials (clouds.yml)." },
  authorization: { message: "The bot's cloud identity is not allowed to do this.", action: "An admin should grant the bot's role the missing permission (IAM policy / role assignment)." },
  rate_limit: { message: "The cloud is throttling the bot's requests.", action: "Wait a minute and try again; the bot already retried with backoff." },
  quota: { message: "A quota or service limit of the account is used up in this region.", action: "Stop machines nobody needs, or ask the cloud provider for a quota increase." },
  capacity: { message: "The cloud has no spare capacity for this machine's size in its zone right now.", action: "Try again later, or move the machine to another size or zone." },
  not_found: { message: "The cloud does not know this machine or resource (deleted, or moved outside the bot?).", action: "Check it in the cloud console; an admin may remove it from the inventory." },
  state_conflict: { message: "The machine is not in a state that allows this right now (another operation may be under way).", action: "Wait for it to settle, refresh its status and try again." },
  encryption_key: { message: "The cloud cannot use the encryption key of the machine's disks.", action: "An admin should check that the key is enabled and that the machine's identity may use it (KMS grant / Key Vault access)." },
  network: { message: "The cloud did not answer in time.", action: "Try again in a moment; if it persists, check the network path from the bot to the cloud." },
  internal: { message: "The cloud reported an internal error.", action: "Try again; if it keeps failing, check the provider's status page." },
};

type Entry = ErrorCategory | { category: ErrorCategory; message?: string; action?: string };

const AWS: Record<string, Entry> = {
  AuthFailure: "authentication",
  InvalidClientTokenId: "authentication",
  SignatureDoesNotMatch: "authentication",
  ExpiredToken: "authentication",
  RequestExpired: "authentication",
  UnauthorizedOperation: { category: "authorization", action: "An admin should add the missing ec2: action to the bot's IAM policy." },
  AccessDenied: "authorization",
  OptInRequired: "authorization",
  RequestLimitExceeded: "rate_limit",
  Throttling: "rate_limit",
  ThrottlingException: "rate_limit",
  InstanceLimitExceeded: "quota",
  VcpuLimitExceeded: { category: "quota", message: "The account's vCPU quota for this instance family in this region is used up." },
  VolumeLimitExceeded: "quota",
  "Client.VolumeLimitExceeded": "quota",
  SnapshotLimitExceeded: "quota",
  InsufficientInstanceCapacity: { category: "capacity", message: "AWS has no spare capacity for this instance type in this Availability Zone right now." },
  "Server.InsufficientInstanceCapacity": { category: "capacity", message: "AWS has no spare capacity for this instance type in this Availability Zone right now." },
  InsufficientHostCapacity: "capacity",
  InsufficientCapacity: "capacity",
  "InvalidInstanceID.NotFound": { category: "not_found", message: "AWS does not know this instance (it may have been terminated)." },
  "InvalidInstanceID.Malformed": { category: "not_found", message: "This is not a valid EC2 instance id.", action: "An admin should correct the VM's resource id in the inventory." },
  "InvalidSnapshot.NotFound": { category: "not_found", message: "AWS does not know this snapshot (it may have been deleted)." },
  "InvalidVolume.NotFound": "not_found",
  IncorrectInstanceState: "state_conflict",
  IncorrectState: "state_conflict",
  OperationNotPermitted: "state_conflict",
  "KMS.DisabledException": { category: "encryption_key", message: "The KMS key that encrypts the instance's volume is disabled." },
  "KMS.NotFoundException": { category: "encryption_key", message: "The KMS key that encrypts the instance's volume no longer exists." },
  "KMS.AccessDeniedException": { category: "encryption_key", message: "The bot's AWS identity may not use the KMS key that encrypts the volume (missing KMS grant)." },
  "KMS.KMSInvalidStateException": "encryption_key",
  InvalidKMSKeyState: "encryption_key",
  "Client.InvalidKMSKey.InvalidState": { category: "encryption_key", message: "The instance stopped again right after starting: the KMS key of its EBS volume cannot be used." },
  // EC2's state reason when a start fails on launch, most often an encrypted volume whose key the role cannot use.
  "Client.InternalError": { category: "encryption_key", message: "The instance stopped again right after starting (a client error on launch, most often a KMS key the role cannot use)." },
  "Server.InternalError": "internal",
  InternalError: "internal",
  InternalFailure: "internal",
  ServiceUnavailable: "internal",
  Unavailable: "internal",
  RequestTimeout: "network",
};

const AZURE: Record<string, Entry> = {
  InvalidAuthenticationToken: "authentication",
  InvalidAuthenticationTokenTenant: "authentication",
  ExpiredAuthenticationToken: "authentication",
  AuthenticationFailed: "authentication",
  AuthorizationFailed: { category: "authorization", action: "An admin should give the bot's service principal a role that allows this (e.g. Virtual Machine Contributor) on the VM's scope." },
  LinkedAuthorizationFailed: "authorization",
  RequestDisallowedByPolicy: { category: "authorization", message: "An Azure Policy assignment forbids this operation." },
  TooManyRequests: "rate_limit",
  SubscriptionRequestsThrottled: "rate_limit",
  ResourceRequestsThrottled: "rate_limit",
  QuotaExceeded: "quota",
  OperationNotAllowed: "quota", // ARM answers a quota overrun with OperationNotAllowed; refined by message below
  AllocationFailed: { category: "capacity", message: "Azure has no capacity for this VM size in its region or zone right now." },
  ZonalAllocationFailed: { category: "capacity", message: "Azure has no capacity for this VM size in its zone right now." },
  OverconstrainedAllocationRequest: "capacity",
  OverconstrainedZonalAllocationRequest: "capacity",
  SkuNotAvailable: { category: "capacity", message: "This VM size is not available in the VM's region or zone for the subscription." },
  ResourceNotFound: "not_found",
  NotFound: "not_found",
  ResourceGroupNotFound: "not_found",
  Conflict: "state_conflict",
  OperationPreempted: "state_conflict",
  PropertyChangeNotAllowed: "state_conflict",
  KeyVaultAccessForbidden: { category: "encryption_key", message: "Azure cannot read the disk encryption key from its Key Vault.", action: "An admin should give the disk encryption set's identity access to the Key Vault key." },
  InternalServerError: "internal",
  InternalExecutionError: "internal",
  InternalOperationError: "internal",
  GatewayTimeout: "network",
};

const GCP: Record<string, Entry> = {
  UNAUTHENTICATED: "authentication",
  authError: "authentication",
  PERMISSION_DENIED: "authorization",
  ACCESS_DENIED: "authorization",
  forbidden: "authorization",
  insufficientPermissions: "authorization",
  rateLimitExceeded: "rate_limit",
  userRateLimitExceeded: "rate_limit",
  RATE_LIMIT_EXCEEDED: "rate_limit",
  RESOURCE_OPERATION_RATE_EXCEEDED: "rate_limit",
  QUOTA_EXCEEDED: "quota",
  quotaExceeded: "quota",
  ZONE_RESOURCE_POOL_EXHAUSTED: { category: "capacity", message: "Google Cloud has no spare capacity for this machine type in this zone right now." },
  ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: { category: "capacity", message: "Google Cloud has no spare capacity for this machine type in this zone right now." },
  notFound: "not_found",
  NOT_FOUND: "not_found",
  RESOURCE_NOT_FOUND: "not_found",
  resourceNotReady: "state_conflict",
  RESOURCE_NOT_READY: "state_conflict",
  resourceInUseByAnotherResource: "state_conflict",
  RESOURCE_IN_USE_BY_ANOTHER_RESOURCE: "state_conflict",
  conditionNotMet: "state_conflict",
  CONDITION_NOT_MET: "state_conflict",
  INTERNAL_ERROR: "internal",
  internalError: "internal",
  backendError: "internal",
  UNAVAILABLE: "internal",
  DEADLINE_EXCEEDED: "network",
};

const OCI: Record<string, Entry> = {
  NotAuthenticated: "authentication",
  NotAuthorized: "authorization",
  SignUpRequired: "authorization",
  NotAuthorizedOrNotFound: { category: "not_found", message: "OCI did not find this resource, or the bot's policy does not let it see it.", action: "Check the OCID, and that the bot's IAM policy covers the compartment." },
  RelatedResourceNotAuthorizedOrNotFound: "not_found",
  NotFound: "not_found",
  TooManyRequests: "rate_limit",
  LimitExceeded: { category: "quota", message: "This exceeds the service limit Oracle set for the tenancy.", action: "Ask for a service limit increase, or stop instances nobody needs." },
  QuotaExceeded: { category: "quota", message: "This exceeds the quota an administrator set for the compartment." },
  Conflict: "state_conflict",
  IncorrectState: "state_conflict",
  ExternalServerIncorrectState: "internal",
  InternalServerError: "internal",
  InternalError: "internal", // "Out of host capacity" is also an InternalError: refined by message below
  ServiceUnavailable: "internal",
  RequestTimeout: "network",
};

const SIMULATOR: Record<string, Entry> = {
  SimulatedFailure: "internal",
  IncorrectInstanceState: "state_conflict",
  Throttled: "rate_limit",
  SnapshotNotFound: "not_found",
};

/** Codes the adapters use whatever the cloud (InstanceNotFoundError, ThrottledError, WaitTimeoutError). */
const COMMON: Record<string, Entry> = {
  NotFound: "not_found",
  Throttled: "rate_limit",
  WaitTimeout: { category: "network", message: "The machine did not reach the expected state in time.", action: "Refresh its status in a minute; if it stays stuck, check it in the cloud console." },
};

export const ERROR_CATALOG: Record<ProviderKind, Record<string, Entry>> = { aws: AWS, azure: AZURE, gcp: GCP, oci: OCI, simulator: SIMULATOR };

/** Codes that say only "internal" or "not allowed": the cloud's message tells the real category. */
function refineByMessage(provider: ProviderKind, code: string, message: string): ErrorCategory | undefined {
  if (/out of host capacity|insufficient capacity|not have sufficient capacity/i.test(message)) return "capacity";
  if (/key ?vault|disk encryption set|cryptoKey|kms key|customer-managed (encryption )?key/i.test(message)) return "encryption_key";
  if (provider === "azure" && code === "OperationNotAllowed" && !/quota|limit/i.test(message)) return "state_conflict";
  return undefined;
}

/** The catalog's explanation of a code; unknown codes fall back to their message's hints, else `internal`. */
export function explainCode(provider: ProviderKind, code: string, rawMessage = ""): ErrorExplanation {
  const entry = ERROR_CATALOG[provider][code] ?? COMMON[code];
  const specific = typeof entry === "object" ? entry : undefined;
  const listed = typeof entry === "string" ? entry : entry?.category;
  const refined = refineByMessage(provider, code, rawMessage);
  const category = refined && (!listed || listed === "internal" || (provider === "azure" && code === "OperationNotAllowed")) ? refined : (listed ?? refined ?? "internal");
  const useSpecific = specific && specific.category === category;
  return {
    provider,
    code,
    category,
    message: (useSpecific && specific.message) || CATEGORY_TEXT[category].message,
    action: (useSpecific && specific.action) || CATEGORY_TEXT[category].action,
  };
}

/** A leading `Code:` (EC2 state reasons, the simulators) or a trailing `(Code)` / `(Code: ...)` in a cloud message. */
export function codeInMessage(message: string): string | undefined {
  const leading = /^([A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]):\s/.exec(message);
  if (leading) return leading[1];
  const trailing = /\(([A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9])(?::[^)]*)?\)\s*$/.exec(message);
  return trailing?.[1];
}

/** The explanation of a failure: a CloudProviderError by its code, a state message by the code it carries. */
export function explainFailure(provider: ProviderKind, failure: CloudProviderError | string): ErrorExplanation | undefined {
  if (failure instanceof CloudProviderError) return explainCode(failure.provider, failure.code, failure.message);
  const code = codeInMessage(failure);
  return code ? explainCode(provider, code, failure) : undefined;
}

/** What a user reads: the plain words, what to do, and the code to quote to an admin. */
export function userText(explanation: ErrorExplanation): string {
  return `${explanation.message} ${explanation.action} (${explanation.provider} ${explanation.code})`;
}
