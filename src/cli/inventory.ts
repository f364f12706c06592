// `npm run inventory -- apply <file> [--dry-run] [--prune]` makes the stored inventory match the file
// (printing the diff); `npm run inventory -- export [<file>]` writes the stored inventory in the same format.
import { readFileSync, writeFileSync } from "node:fs";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { applyMigrations } from "../db/migrations.js";
import { DomainError } from "../services/errors.js";
import { applyInventory, formatChanges } from "../services/environments/inventory-apply.js";
import { formatInventoryFile, parseInventoryFile } from "../services/environments/inventory-file.js";
import { loadInventory } from "../services/environments/inventory-store.js";

const USAGE = `Usage:
  npm run inventory -- apply <file.yml> [--dry-run] [--prune]
  npm run inventory -- export [<file.yml>]     (standard output when no file is given)`;

const [command, ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((arg) => arg.startsWith("--")));
const positional = rest.filter((arg) => !arg.startsWith("--"));
const allowedFlags = command === "apply" ? ["--dry-run", "--prune"] : [];
const unknownFlags = [...flags].filter((flag) => !allowedFlags.includes(flag));
if (!command || !["apply", "export"].includes(command) || unknownFlags.length || positional.length > 1 || (command === "apply" && positional.length !== 1)) {
  if (unknownFlags.length) console.error(`Unknown option(s): ${unknownFlags.join(" ")}`);
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfig();
await applyMigrations(config.DATABASE_URL);
const database = await openDatabase(config.DATABASE_URL);
try {
  if (command === "apply") {
    const file = positional[0]!;
    const declared = parseInventoryFile(readFileSync(file, "utf8"), file);
    const result = await applyInventory(database.prisma, declared, { dryRun: flags.has("--dry-run"), prune: flags.has("--prune") });
    console.log(formatChanges(result.changes));
    if (result.dryRun && result.changes.length) console.log("Dry run: nothing was written.");
  } else {
    const text = formatInventoryFile(await loadInventory(database.prisma));
    if (positional[0]) writeFileSync(positional[0], text);
    else process.stdout.write(text);
  }
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
