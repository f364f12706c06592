// Renders the per-provider schemas and generates both Prisma clients (run by postinstall).
import { PROVIDERS, builtSchemaPath, writeBuiltSchemas } from "./prisma-schemas.js";
import { runPrisma } from "./prisma-cli.js";

writeBuiltSchemas();
for (const provider of PROVIDERS) {
  runPrisma(provider, ["generate", "--schema", builtSchemaPath(provider)]);
  console.log(`generated the ${provider} client`);
}
