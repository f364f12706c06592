// The OCI adapter's one entry point: production credentials come from the standard chain (OCI config
// file, else instance principals), never from the bot's own configuration.
import type * as common from "oci-common";
import type { CloudProvider } from "../cloud-provider.js";
import { defaultOciAuthentication } from "./oci-auth.js";
import type { OciProviderOptions } from "./oci-options.js";
import { OciProvider } from "./oci-provider.js";

export type { OciProviderOptions, OciStopMode, Pace } from "./oci-options.js";

export function createOciProvider(options: OciProviderOptions): CloudProvider {
  const given = options.authenticationDetailsProvider;
  let resolved: Promise<common.AuthenticationDetailsProvider> | undefined;
  // Resolved on first use (instance principals need a network round trip), once for all regions.
  const authentication = () => (resolved ??= given ? Promise.resolve(given) : defaultOciAuthentication(options.authentication));
  return new OciProvider(options, authentication);
}
