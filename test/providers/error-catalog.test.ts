import { describe, expect, it } from "vitest";
import { CloudProviderError, InstanceNotFoundError, ThrottledError, type ProviderKind } from "../../src/providers/cloud-provider.js";
import { ERROR_CATALOG, codeInMessage, explainCode, explainFailure, userText, type ErrorCategory } from "../../src/providers/error-catalog.js";
import { toCloudError as toEc2Error } from "../../src/providers/aws/ec2-errors.js";
import { toAzureError } from "../../src/providers/azure/azure-errors.js";
import { toCloudError as toGceError, operationError } from "../../src/providers/gcp/gce-errors.js";
import { toOciError } from "../../src/providers/oci/oci-errors.js";
import { describeProviderError, providerErrorDetails } from "../../src/services/provider-errors.js";

const CASES: [ProviderKind, string, ErrorCategory, string?][] = [
  ["aws", "AuthFailure", "authentication"],
  ["aws", "UnauthorizedOperation", "authorization"],
  ["aws", "RequestLimitExceeded", "rate_limit"],
  ["aws", "VcpuLimitExceeded", "quota"],
  ["aws", "InsufficientInstanceCapacity", "capacity"],
  ["aws", "InvalidInstanceID.NotFound", "not_found"],
  ["aws", "IncorrectInstanceState", "state_conflict"],
  ["aws", "KMS.DisabledException", "encryption_key"],
  ["aws", "Client.InvalidKMSKey.InvalidState", "encryption_key"],
  ["aws", "InternalError", "internal"],
  ["azure", "InvalidAuthenticationToken", "authentication"],
  ["azure", "AuthorizationFailed", "authorization"],
  ["azure", "TooManyRequests", "rate_limit"],
  ["azure", "OperationNotAllowed", "quota", "Operation could not be completed as it results in exceeding approved standardDSv3Family Cores quota."],
  ["azure", "OperationNotAllowed", "state_conflict", "Operation 'start' is not allowed since the VM is marked for deletion."],
  ["azure", "AllocationFailed", "capacity"],
  ["azure", "SkuNotAvailable", "capacity"],
  ["azure", "ResourceNotFound", "not_found"],
  ["azure", "Conflict", "state_conflict"],
  ["azure", "KeyVaultAccessForbidden", "encryption_key"],
  ["gcp", "PERMISSION_DENIED", "authorization"],
  ["gcp", "rateLimitExceeded", "rate_limit"],
  ["gcp", "QUOTA_EXCEEDED", "quota"],
  ["gcp", "ZONE_RESOURCE_POOL_EXHAUSTED", "capacity"],
  ["gcp", "notFound", "not_found"],
  ["gcp", "resourceNotReady", "state_conflict"],
  ["gcp", "forbidden", "authorization"],
  ["gcp", "INTERNAL_ERROR", "internal"],
  ["oci", "NotAuthenticated", "authentication"],
  ["oci", "NotAuthorizedOrNotFound", "not_found"],
  ["oci", "TooManyRequests", "rate_limit"],
  ["oci", "LimitExceeded", "quota"],
  ["oci", "IncorrectState", "state_conflict"],
  ["oci", "Conflict", "state_conflict"],
  ["oci", "InternalError", "capacity", "Out of host capacity."],
  ["oci", "InternalError", "internal", "The service encountered an internal error."],
  ["simulator", "SimulatedFailure", "internal"],
  ["simulator", "Throttled", "rate_limit"],
];

describe("provider error catalog", () => {
  it.each(CASES)("%s %s is %s", (provider, code, category, message) => {
    const explanation = explainCode(provider, code, message);
    expect(explanation.category).toBe(category);
    expect(explanation.message.length).toBeGreaterThan(10);
    expect(explanation.action.length).toBeGreaterThan(10);
    expect(userText(explanation)).toContain(`(${provider} ${code})`);
  });

  it("gives every listed code of every provider a message and an action", () => {
    for (const [provider, codes] of Object.entries(ERROR_CATALOG)) {
      for (const code of Object.keys(codes)) {
        const explanation = explainCode(provider as ProviderKind, code);
        expect(explanation.message, `${provider} ${code}`).toMatch(/\.$/);
        expect(explanation.action, `${provider} ${code}`).toMatch(/\.$/);
      }
    }
  });

  it("finds the code a state message carries, leading or trailing", () => {
    expect(codeInMessage("Server.InsufficientInstanceCapacity: We currently do not have sufficient capacity")).toBe("Server.InsufficientInstanceCapacity");
    expect(codeInMessage("Azure has no capacity (AllocationFailed: Allocation failed.)")).toBe("AllocationFailed");
    expect(codeInMessage("no code here")).toBeUndefined();
    expect(explainFailure("aws", "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state")?.category).toBe("encryption_key");
    expect(explainFailure("gcp", "ZONE_RESOURCE_POOL_EXHAUSTED: The zone does not have enough resources")?.category).toBe("capacity");
  });

  it("explains what each adapter's error mapping produces from the cloud's wire answers", () => {
    const ec2 = toEc2Error({ name: "InsufficientInstanceCapacity", message: "We currently do not have sufficient capacity.", $metadata: { httpStatusCode: 500 } }, "start");
    expect(explainFailure("aws", ec2)).toMatchObject({ code: "InsufficientInstanceCapacity", category: "capacity" });
    const ec2Throttle = toEc2Error({ name: "RequestLimitExceeded", message: "Request limit exceeded.", $metadata: { httpStatusCode: 503 } }, "start");
    expect(explainFailure("aws", ec2Throttle)).toMatchObject({ code: "RequestLimitExceeded", category: "rate_limit" });
    const arm = toAzureError({ statusCode: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action." }, { operation: "start", resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1" });
    expect(explainFailure("azure", arm)).toMatchObject({ code: "AuthorizationFailed", category: "authorization" });
    const gce = operationError([{ code: "ZONE_RESOURCE_POOL_EXHAUSTED", message: "The zone does not have enough resources." }], "start");
    expect(explainFailure("gcp", gce)).toMatchObject({ category: "capacity" });
    const gceQuota = toGceError({ message: JSON.stringify({ error: { code: 403, message: "Quota 'CPUS' exceeded.", errors: [{ reason: "quotaExceeded" }] } }) }, "start");
    expect(explainFailure("gcp", gceQuota)).toMatchObject({ category: "quota" });
    const oci = toOciError({ statusCode: 409, serviceCode: "IncorrectState", message: "Instance is in a state that does not allow this." }, { operation: "start", resourceId: "ocid1.instance.oc1.iad.abc" });
    expect(explainFailure("oci", oci)).toMatchObject({ code: "IncorrectState", category: "state_conflict" });
    expect(explainFailure("oci", new InstanceNotFoundError("oci", "ocid1.instance.oc1.iad.abc"))).toMatchObject({ category: "not_found" });
    expect(explainFailure("azure", new ThrottledError("azure", "throttled", { code: "SubscriptionRequestsThrottled" }))).toMatchObject({ category: "rate_limit" });
  });

  it("shows the user plain words and keeps the raw code and message for the audit", () => {
    const error = new CloudProviderError("aws", "UnauthorizedOperation", "You are not authorized to perform this operation. Encoded authorization failure message: abc");
    expect(describeProviderError(error)).toBe(
      "The bot's cloud identity is not allowed to do this. An admin should add the missing ec2: action to the bot's IAM policy. (aws UnauthorizedOperation)",
    );
    expect(providerErrorDetails(error)).toEqual({ provider: "aws", code: "UnauthorizedOperation", category: "authorization", message: error.message });
  });
});
