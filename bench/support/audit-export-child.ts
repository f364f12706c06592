// Child process for the export figure: does only what the bot does for `/vm audit export` (open the
// database, build the audit service as createServices does, export through its exportCsv, read the file
// back as the upload does), so its peak RSS is the export's and not the benchmark's (which holds the
// generated fleet), nor the cloud SDKs' the rest of the bot loads. Run by exportInChildProcess.
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { openDatabase } from "../../src/db/database.js";
import type { RequestContext } from "../../src/services/actor.js";
import { createAuditService } from "../../src/services/audit-service.js";
import { peakRss, time } from "./measure.js";
import { botNodeFlags } from "./node-flags.js";

export interface ChildExport {
  rows: number;
  bytes: number;
  ms: number;
  peakMiB: number;
  startMiB: number;
  method: string;
}

/** Runs the export in a fresh Node process (tsx loader) and returns what it measured. */
export function exportInChildProcess(url: string, ctx: RequestContext, maxRows: number): Promise<ChildExport> {
  return new Promise((resolve, reject) => {
    // With the bot's heap flags: the export runs inside the bot, sized as `npm start` sizes it.
    const child = spawn(process.execPath, [...botNodeFlags(), "--import", "tsx", fileURLToPath(import.meta.url), url, JSON.stringify(ctx), String(maxRows)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as ChildExport) : reject(new Error(`export child exited with ${code}: ${out}`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, ctxJson, maxRows] = process.argv.slice(2);
  const db = await openDatabase(url!);
  const audit = createAuditService(db.prisma, undefined, { exportMaxRows: Number(maxRows) });
  const ctx = JSON.parse(ctxJson!) as RequestContext;
  const measured = await peakRss(() =>
    time(() =>
      audit.exportCsv(ctx, {}, async (file) => {
        for await (const chunk of file.open()) void chunk;
        return { rows: file.rows, bytes: file.bytes };
      }),
    ),
  );
  const [ms, { rows, bytes }] = measured.result;
  await db.close();
  console.log(JSON.stringify({ rows, bytes, ms, peakMiB: measured.peakMiB, startMiB: measured.startMiB, method: measured.method } satisfies ChildExport));
}
