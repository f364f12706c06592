// bench/results.json: every figure of the last run with its unit, target or baseline, ratio and verdict.
// Each bench file writes its own sections with a read-modify-write merge, so the files run by
// `npm run bench` (and any run alone) add to the same document without erasing each other's figures.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeReference, meetsTarget, ratioOf, type Figure } from "./figures.js";

export const RESULTS_PATH = process.env.BENCH_RESULTS_PATH ?? join(dirname(fileURLToPath(import.meta.url)), "..", "results.json");

export interface RecordedFigure {
  value: number;
  unit: string;
  target?: string;
  baseline?: string;
  ratio?: number;
  met?: boolean;
  note?: string;
}

export interface RecordedSection {
  measuredAt: string;
  /** What was measured on (database, fleet size ...). */
  setup: Record<string, string | number>;
  figures: Record<string, RecordedFigure>;
}

export interface ResultsDocument {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  sections: Record<string, RecordedSection>;
}

function machine(): ResultsDocument["machine"] {
  const cores = cpus();
  return { cpus: cores.length, cpuModel: cores[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` };
}

export function readResults(path = RESULTS_PATH): ResultsDocument {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ResultsDocument>;
    return { machine: machine(), sections: parsed.sections ?? {} };
  } catch {
    return { machine: machine(), sections: {} };
  }
}

function recorded(figure: Figure): RecordedFigure {
  const ratio = ratioOf(figure);
  return {
    value: +figure.value.toPrecision(6),
    unit: figure.unit,
    ...(figure.target ? { target: describeReference(figure) } : {}),
    ...(figure.baseline ? { baseline: describeReference(figure) } : {}),
    ...(ratio !== undefined ? { ratio: +ratio.toPrecision(4) } : {}),
    ...(figure.target ? { met: meetsTarget(figure) } : {}),
    ...(figure.note ? { note: figure.note } : {}),
  };
}

/**
 * Replaces section `name` (e.g. "audit.sqlite") in results.json, keeping every other section.
 * Written to a temporary file and renamed, so a reader never sees half a document.
 */
export function recordSection(name: string, setup: RecordedSection["setup"], figures: Figure[], path = RESULTS_PATH): void {
  const document = readResults(path);
  document.sections[name] = { measuredAt: new Date().toISOString(), setup, figures: Object.fromEntries(figures.map((figure) => [figure.name, recorded(figure)])) };
  const sorted: ResultsDocument = { machine: document.machine, sections: Object.fromEntries(Object.entries(document.sections).sort(([a], [b]) => a.localeCompare(b))) };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temporary, path);
}
