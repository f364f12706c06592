// clouds.yml: which accounts, subscriptions, projects and compartments the bot manages, and where.
// Credentials are never read from here: each SDK finds them through its own standard chain.
// A mistake stops start-up with the file, line and column of the offending value.
import { readFileSync } from "node:fs";
import type { Document, LineCounter } from "yaml";
import { z } from "zod";

const region = z.string().regex(/^[a-z0-9-]+$/, "must be a region name such as eu-west-1");
const nonEmptyList = <T extends z.ZodType>(item: T, what: string) => z.array(item).min(1, `must list at least one ${what}`);
const endpoint = z.url().optional().describe("another API endpoint, e.g. a local fake in tests");

/** Keys that would mean someone is about to put a secret in this file. */
const SECRET_KEYS = ["accessKeyId", "secretAccessKey", "sessionToken", "credentials", "clientSecret", "privateKey", "private_key", "password", "keyFile"];

const discoverySchema = z
  .strictObject({
    /** Instances carrying all these tags (labels on GCP, freeform tags on OCI) are discovered. */
    tags: z.record(z.string().min(1), z.string()).default({ "managed-by": "vm-lifecycle" }),
  })
  .default({ tags: { "managed-by": "vm-lifecycle" } });

const awsSchema = z.strictObject({
  accounts: nonEmptyList(
    z.strictObject({
      id: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
      /** A profile of ~/.aws/config, e.g. one with role_arn + source_profile for this account. */
      profile: z.string().min(1).optional(),
      regions: nonEmptyList(region, "region"),
    }),
    "account",
  ),
  endpoint,
});

const azureSchema = z.strictObject({
  subscriptions: nonEmptyList(
    z.strictObject({
      id: z.uuid("must be a subscription id (a GUID)"),
      /** Only these resource groups; every group of the subscription when omitted. */
      resourceGroups: z.array(z.string().min(1)).optional(),
      locations: nonEmptyList(z.string().regex(/^[a-z0-9]+$/, "must be an Azure location such as westeurope"), "location"),
    }),
    "subscription",
  ),
  /** deallocate stops billing for compute; powerOff keeps the host (and the bill) but restarts faster. */
  stopMode: z.enum(["deallocate", "powerOff"]).default("deallocate"),
  endpoint,
});

const gcpSchema = z.strictObject({
  projects: nonEmptyList(
    z.strictObject({
      id: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project id"),
      zones: nonEmptyList(z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, "must be a zone such as europe-west1-b"), "zone"),
    }),
    "project",
  ),
  endpoint,
});

const ociSchema = z.strictObject({
  compartments: nonEmptyList(
    z.strictObject({
      id: z.string().regex(/^ocid1\.(compartment|tenancy)\./, "must be a compartment (or tenancy) OCID"),
      regions: nonEmptyList(region, "region"),
    }),
    "compartment",
  ),
  /** A profile of ~/.oci/config; instance principals when `auth: instancePrincipal`. */
  profile: z.string().min(1).optional(),
  auth: z.enum(["configFile", "instancePrincipal"]).default("configFile"),
  endpoint,
});

export const cloudsConfigSchema = z
  .strictObject({
    discovery: discoverySchema,
    aws: awsSchema.optional(),
    azure: azureSchema.optional(),
    gcp: gcpSchema.optional(),
    oci: ociSchema.optional(),
  })
  .refine((clouds) => clouds.aws || clouds.azure || clouds.gcp || clouds.oci, "configures no cloud: add an aws, azure, gcp or oci section");

export type CloudsConfig = z.output<typeof cloudsConfigSchema>;
export type AwsCloudConfig = NonNullable<CloudsConfig["aws"]>;
export type AzureCloudConfig = NonNullable<CloudsConfig["azure"]>;
export type GcpCloudConfig = NonNullable<CloudsConfig["gcp"]>;
export type OciCloudConfig = NonNullable<CloudsConfig["oci"]>;

export class CloudsConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${file}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "CloudsConfigError";
  }
}

export async function loadCloudsConfig(path: string): Promise<CloudsConfig> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CloudsConfigError(path, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); CLOUDS_CONFIG names it`]);
  }
  return await parseCloudsConfig(text, path);
}

/**
 * Parses and validates clouds.yml text; `file` only names it in messages. The YAML parser is loaded
 * only here, so demo mode (no clouds.yml) does not need it installed.
 */
export async function parseCloudsConfig(text: string, file = "clouds.yml"): Promise<CloudsConfig> {
  const { isNode, LineCounter, parseDocument } = await import("yaml");
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length) {
    throw new CloudsConfigError(
      file,
      document.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return `${file}:${at.line}:${at.col} ${error.message.split("\n")[0]}`;
      }),
    );
  }
  const raw: unknown = document.toJS() ?? {};
  const secrets = findSecretKeys(raw);
  const result = cloudsConfigSchema.safeParse(raw);
  const problems = [
    ...secrets.map((path) => `${where(file, document, lineCounter, isNode, path)} ${dotted(path)}: credentials do not belong in ${file}; the SDK's standard credential chain provides them`),
    ...(result.success ? [] : result.error.issues.filter((issue) => !onlySecretKeys(issue)).map((issue) => `${where(file, document, lineCounter, isNode, issue.path as PropertyKey[])} ${dotted(issue.path as PropertyKey[]) || "the file"} ${issue.message}`)),
  ];
  if (problems.length) throw new CloudsConfigError(file, problems);
  return result.data!;
}

function where(file: string, document: Document, lineCounter: LineCounter, isNode: typeof import("yaml").isNode, path: PropertyKey[]): string {
  // The deepest node that exists (a missing key points at its parent).
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = path.length ? document.getIn(path.slice(0, depth) as (string | number)[], true) : document.contents;
    if (isNode(node) && node.range) {
      const at = lineCounter.linePos(node.range[0]);
      return `${file}:${at.line}:${at.col}`;
    }
  }
  return file;
}

function dotted(path: PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index ? "." : ""}${String(part)}`)).join("");
}

function onlySecretKeys(issue: z.core.$ZodIssue): boolean {
  return issue.code === "unrecognized_keys" && issue.keys.every((key) => SECRET_KEYS.includes(key));
}

function findSecretKeys(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => findSecretKeys(item, [...path, index]));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => (SECRET_KEYS.includes(key) ? [[...path, key]] : findSecretKeys(child, [...path, key])));
}
