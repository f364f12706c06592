// `npm start` as a newcomer runs it: the real entry point in its own process, no Slack variables, a fresh
// SQLite file and a free port; the URL is the one it prints, read from its standard output.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/bot-harness.js";

export interface StartedBot {
  /** Exactly what the bot printed after "Playground: ". */
  printedUrl: string;
  port: number;
  /** Everything it wrote so far (for a failing test's message). */
  output(): string;
  /** SIGTERM to its process group (npm, tsx, node), SIGKILL if it has not exited in time; deletes its database. */
  stop(): Promise<void>;
}

const PRINTED_URL = /^Playground: (http:\/\/\S+)$/m;

export async function npmStart(env: Record<string, string>, timeoutMs: number): Promise<StartedBot> {
  const dir = mkdtempSync(join(tmpdir(), "vmbot-npm-start-"));
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${join(dir, "playground.db")}`, PORT: String(port), ...env };
  // What a newcomer's shell does not have (vitest sets NODE_ENV=test).
  for (const name of ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "HOST", "PLAYGROUND", "NODE_ENV"]) if (!(name in env)) delete childEnv[name];
  // Its own process group, so stop() ends npm and everything npm started, and nothing else.
  const child = spawn("npm", ["start"], { env: childEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    await endProcessGroup(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const printedUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no playground URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const look = () => {
        const match = PRINTED_URL.exec(output);
        if (!match) return;
        clearTimeout(timer);
        resolve(match[1]!);
      };
      child.stdout.on("data", look);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (code ${code}) before printing the playground URL:\n${output}`));
      });
    });
    return { printedUrl, port, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function endProcessGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-group, signal);
      return true;
    } catch {
      return false; // nobody left in the group
    }
  };
  signalGroup("SIGTERM");
  // npm may exit before the bot it started has finished stopping: wait for the whole group.
  const deadline = Date.now() + 10_000;
  while (signalGroup(0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (signalGroup("SIGKILL")) await new Promise((resolve) => setTimeout(resolve, 100));
  await exited;
}
