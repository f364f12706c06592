// `npm run build`: compiles src/ (the generated Prisma clients included) to dist/ with tsc and copies the
// playground's browser files next to the server that serves them. `--if-stale` (npm's prestart) builds
// only when something under src/ or a tsconfig changed since the last build, so `npm start` never runs
// stale JavaScript and costs a few stat calls when nothing changed.
// Plain JavaScript on purpose: it runs before anything is compiled, with node alone (no tsx).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "dist", ".build-stamp");
const inputs = [join(root, "src"), join(root, "tsconfig.json"), join(root, "tsconfig.build.json")];

function newestChange(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs; // a deleted or renamed file changes its directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

function stale() {
  return !existsSync(stamp) || inputs.some((input) => newestChange(input) > statSync(stamp).mtimeMs);
}

if (process.argv.includes("--if-stale") && !stale()) process.exit(0);
if (!existsSync(join(root, "src", "generated", "sqlite", "client.ts"))) {
  console.error("src/generated is missing: run `npm run db:generate` (npm ci does) before building");
  process.exit(1);
}
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(tsc)) {
  // `npm ci --omit=dev` of a tree built elsewhere (a container's build stage): keep what is there.
  if (existsSync(stamp)) process.exit(0);
  console.error("dist/ is not built and TypeScript is not installed: run `npm ci` (with dev dependencies) and `npm run build`");
  process.exit(1);
}
const started = Date.now();
rmSync(join(root, "dist"), { recursive: true, force: true }); // no compiled leftovers of deleted sources
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
cpSync(join(root, "src", "playground", "web"), join(root, "dist", "playground", "web"), { recursive: true, filter: (source) => !source.endsWith("tsconfig.json") });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
