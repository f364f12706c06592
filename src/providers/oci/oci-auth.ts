// The standard OCI credential chain: the config file the OCI CLI uses (OCI_CONFIG_FILE / ~/.oci/config,
// profile OCI_CONFIG_PROFILE) when there is one, else instance principals (the bot runs on an OCI
// instance in a dynamic group). Keys stay where the SDK finds them: never in the database or the logs.
import * as common from "oci-common";

export async function defaultOciAuthentication(): Promise<common.AuthenticationDetailsProvider> {
  try {
    return new common.ConfigFileAuthenticationDetailsProvider(process.env.OCI_CONFIG_FILE || undefined, process.env.OCI_CONFIG_PROFILE || undefined);
  } catch {
    return new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
  }
}
