// The standard OCI credential chain: the config file the OCI CLI uses (OCI_CONFIG_FILE / ~/.oci/config,
// profile OCI_CONFIG_PROFILE) when there is one, else instance principals (the bot runs on an OCI
// instance in a dynamic group). Keys stay where the SDK finds them: never in the database or the logs.
import * as common from "oci-common";

export interface OciAuthChoice {
  /** clouds.yml `auth`: instance principals only, or the config file first (the default). */
  auth?: "configFile" | "instancePrincipal";
  /** A profile of the config file; OCI_CONFIG_PROFILE (else DEFAULT) when absent. */
  profile?: string;
}

export async function defaultOciAuthentication(choice: OciAuthChoice = {}): Promise<common.AuthenticationDetailsProvider> {
  if (choice.auth === "instancePrincipal") return new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
  try {
    return new common.ConfigFileAuthenticationDetailsProvider(process.env.OCI_CONFIG_FILE || undefined, choice.profile || process.env.OCI_CONFIG_PROFILE || undefined);
  } catch {
    return new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
  }
}
