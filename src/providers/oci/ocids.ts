// OCIDs (`ocid1.<type>.<realm>.<region>.<unique>`) carry their region, so an id alone says which
// regional endpoint to call. The region part is a short code ("iad") or a region id ("us-ashburn-1").
import * as common from "oci-common";
import { CloudProviderError } from "../cloud-provider.js";

export interface ParsedOcid {
  type: string;
  /** Region id, e.g. "us-ashburn-1". */
  region: string;
}

export function parseOcid(ocid: string, expectedType: string): ParsedOcid {
  const [prefix, type, , region] = ocid.split(".");
  if (!/^ocid1$/i.test(prefix ?? "") || type !== expectedType || !region) {
    throw new CloudProviderError("oci", "InvalidResourceId", `${ocid} is not an OCI ${expectedType} OCID with a region`);
  }
  return { type, region: common.Region.getRegionIdFromShortCode(region) };
}
