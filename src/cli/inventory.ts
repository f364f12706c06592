// `npm run inventory -- apply <file> [--dry-run] [--prune]` makes the stored inventory match the file
// (printing the diff); `npm run inventory -- export [<file>]` writes the stored inventory in the same format;
// `npm run inventory -- discover [--dry-run]` imports the tagged VMs of the clouds in CLOUDS_CONFIG.
import { readFileSync, writeFileSync } from "node:fs";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { applyMigrations } from "../db/migrations.js";
import { CloudProviderError } from "../providers/cloud-provider.js";
import { CloudsConfigError, loadCloudsConfig } from "../providers/clouds-config.js";
import { createConfiguredRegistry } from "../providers/registry.js";
import { DomainError } from "../services/errors.js";
import { applyInventory, formatChanges, type ApplyResult } from "../services/environments/inventory-apply.js";
import { discoverInventory } from "../services/environments/inventory-discover.js";
import { formatInventoryFile, parseInventoryFile } from "../services/environments/inventory-file.js";
import { loadInventory } from "../services/environments/inventory-store.js";

const USAGE = `Usage:
  npm run inventory -- apply <file.yml> [--dry-run] [--prune]
  npm run inventory -- export [<file.yml>]     (standard output when no file is given)
  npm run inventory -- discover [--dry-run]    (the tagged VMs of the clouds in CLOUDS_CONFIG)`;

const [command, ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((arg) => arg.startsWith("--")));
const positional = rest.filter((arg) => !arg.startsWith("--"));
const allowedFlags = command === "apply" ? ["--dry-run", "--prune"] : command === "discover" ? ["--dry-run"] : [];
const unknownFlags = [...flags].filter((flag) => !allowedFlags.includes(flag));
const positionalCount = { apply: [1], export: [0, 1], discover: [0] }[command ?? ""];
if (!command || !positionalCount || unknownFlags.length || !positionalCount.includes(positional.length)) {
  if (unknownFlags.length) console.error(`Unknown option(s): ${unknownFlags.join(" ")}`);
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfig();
if (command === "discover" && !config.CLOUDS_CONFIG) {
  console.error("discover reads the clouds in CLOUDS_CONFIG; set it to your clouds.yml");
  process.exit(2);
}
const printResult = (result: ApplyResult) => {
  console.log(formatChanges(result.changes));
  if (result.dryRun && result.changes.length) console.log("Dry run: nothing was written.");
};
await applyMigrations(config.DATABASE_URL);
const database = await openDatabase(config.DATABASE_URL);
try {
  if (command === "apply") {
    const file = positional[0]!;
    const declared = parseInventoryFile(readFileSync(file, "utf8"), file);
    printResult(await applyInventory(database.prisma, declared, { dryRun: flags.has("--dry-run"), prune: flags.has("--prune") }));
  } else if (command === "discover") {
    const registry = await createConfiguredRegistry({ clouds: await loadCloudsConfig(config.CLOUDS_CONFIG!) });
    printResult(await discoverInventory(database.prisma, registry, { dryRun: flags.has("--dry-run") }));
  } else {
    const text = formatInventoryFile(await loadInventory(database.prisma));
    if (positional[0]) writeFileSync(positional[0], text);
    else process.stdout.write(text);
  }
} catch (error) {
  if (!(error instanceof DomainError || error instanceof CloudsConfigError || error instanceof CloudProviderError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
