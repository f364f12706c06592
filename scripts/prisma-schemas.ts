// Renders prisma/schema.prisma (the one source) into one schema per database provider,
// each generating its own client under src/generated/<provider>.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROVIDERS = ["sqlite", "postgresql"] as const;
export type SchemaProvider = (typeof PROVIDERS)[number];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const sourceSchemaPath = join(root, "prisma", "schema.prisma");

export function builtSchemaPath(provider: SchemaProvider): string {
  return join(root, "prisma", ".build", provider, "schema.prisma");
}

export function renderSchema(source: string, provider: SchemaProvider): string {
  const providerLine = /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/;
  const outputLine = /output\s*=\s*"\.\.\/src\/generated\/sqlite"/;
  if (!providerLine.test(source) || !outputLine.test(source)) {
    throw new Error("prisma/schema.prisma must keep provider = \"sqlite\" and output = \"../src/generated/sqlite\"");
  }
  let rendered = source
    .replace(providerLine, `$1"${provider}"`)
    .replace(outputLine, `output     = "../../../src/generated/${provider}"`);
  // PostgreSQL reads a record and its relations in one query (LATERAL joins with JSON aggregation) instead
  // of one query per relation; Prisma has this for PostgreSQL only.
  if (provider === "postgresql") rendered = rendered.replace(/(generator client \{)/, `$1\n  previewFeatures = ["relationJoins"]`);
  return `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts: do not edit.\n${rendered}`;
}

export function writeBuiltSchemas(source = readFileSync(sourceSchemaPath, "utf8")): void {
  for (const provider of PROVIDERS) {
    const path = builtSchemaPath(provider);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderSchema(source, provider));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeBuiltSchemas();
