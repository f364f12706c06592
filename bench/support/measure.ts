// Timing and memory helpers shared by the bench files.
import { readFileSync, writeFileSync } from "node:fs";

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export function percentilesOf(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]!, samples: sorted.length };
}

/**
 * Runs `fn` `runs` times one after another (after `warmup` unmeasured runs): latency percentiles in ms,
 * and this process's mean CPU ms per run (user + system), which other load on the machine barely moves
 * (on SQLite the query itself runs in this process; on PostgreSQL the server's share is not in it).
 */
export async function latencies(runs: number, fn: (run: number) => Promise<unknown>, { warmup = 3 } = {}): Promise<Percentiles & { cpuMs: number }> {
  for (let run = 0; run < warmup; run++) await fn(run);
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let run = 0; run < runs; run++) samples.push((await time(() => fn(run)))[0]);
  const cpu = process.cpuUsage(cpuStart);
  return { ...percentilesOf(samples), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
}

const MIB = 1024 * 1024;

function statusKib(field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const match = readFileSync("/proc/self/status", "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The process's peak resident set size (MiB) while `fn` runs. On Linux the kernel's high-water mark
 * (VmHWM) is reset first (clear_refs 5), so it catches every spike; elsewhere, or if the reset is not
 * allowed, RSS is sampled every 5 ms. `startMiB` is the RSS when `fn` began, for the increase.
 */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ peakMiB: number; startMiB: number; method: "VmHWM" | "sampled"; result: T }> {
  const startMiB = process.memoryUsage.rss() / MIB;
  let kernelPeak = false;
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    kernelPeak = statusKib("VmHWM") !== undefined;
  } catch {
    kernelPeak = false;
  }
  let sampled = startMiB;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss() / MIB)), 5);
  try {
    const result = await fn();
    sampled = Math.max(sampled, process.memoryUsage.rss() / MIB);
    const peakMiB = kernelPeak ? Math.max(sampled, statusKib("VmHWM")! / 1024) : sampled;
    return { peakMiB, startMiB, method: kernelPeak ? "VmHWM" : "sampled", result };
  } finally {
    clearInterval(sampler);
  }
}
