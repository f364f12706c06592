// A benchmark figure with its unit and what it is judged against, and the table `npm run bench` prints.
// Ratio = value / target (or value / baseline): for an "at most" target, below 1 is good; for an
// "at least" target, above 1 is good. The `ok` column says which way it went.

export type Comparison = "<" | "<=" | ">" | ">=";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure must be, e.g. { op: "<", value: 20 } for "under 20 ms" (same unit as the figure). */
  target?: { op: Comparison; value: number };
  /** What it is compared with when there is no target: another measurement, named (e.g. one call per VM). */
  baseline?: { value: number; label: string };
  /** A short note printed after the row (what was measured, a caveat). */
  note?: string;
}

export function ratioOf(figure: Figure): number | undefined {
  const reference = figure.target?.value ?? figure.baseline?.value;
  if (reference === undefined || reference === 0) return undefined;
  return figure.value / reference;
}

/** Whether the figure meets its target; undefined when it has none. */
export function meetsTarget(figure: Figure): boolean | undefined {
  if (!figure.target) return undefined;
  const { op, value } = figure.target;
  if (op === "<") return figure.value < value;
  if (op === "<=") return figure.value <= value;
  if (op === ">") return figure.value > value;
  return figure.value >= value;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1 || magnitude === 0) return value.toFixed(3);
  return value.toPrecision(2);
}

export function describeReference(figure: Figure): string {
  if (figure.target) return `${figure.target.op} ${formatNumber(figure.target.value)}`;
  if (figure.baseline) return `${formatNumber(figure.baseline.value)} (${figure.baseline.label})`;
  return "";
}

/** One section's table: figure, value, unit, target/baseline, ratio, ok. */
export function printTable(title: string, figures: Figure[], write: (line: string) => void = console.log): void {
  const rows = figures.map((figure) => {
    const ratio = ratioOf(figure);
    const met = meetsTarget(figure);
    return [figure.name, formatNumber(figure.value), figure.unit, describeReference(figure), ratio === undefined ? "" : `${ratio.toFixed(ratio >= 100 ? 0 : 3)}`, met === undefined ? "" : met ? "yes" : "NO"];
  });
  const header = ["figure", "value", "unit", "target / baseline", "ratio", "ok"];
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const rightAligned = new Set([1, 4]);
  const line = (cells: string[]) => cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  write(`\n== ${title}`);
  write(line(header));
  write(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) write(line(row));
  for (const figure of figures) if (figure.note) write(`  * ${figure.name}: ${figure.note}`);
}
