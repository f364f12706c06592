import type { ProviderKind } from "../../cloud-provider.js";
import { awsFlavour } from "./aws.js";
import { azureFlavour } from "./azure.js";
import type { ProviderFlavour } from "./flavour.js";
import { gcpFlavour } from "./gcp.js";
import { ociFlavour } from "./oci.js";
import { simulatorFlavour } from "./simulator.js";

export type { ProviderFlavour, SimulatedMachine } from "./flavour.js";

const FLAVOURS: Record<ProviderKind, ProviderFlavour> = {
  aws: awsFlavour,
  azure: azureFlavour,
  gcp: gcpFlavour,
  oci: ociFlavour,
  simulator: simulatorFlavour,
};

export function flavourOf(kind: ProviderKind): ProviderFlavour {
  return FLAVOURS[kind];
}
