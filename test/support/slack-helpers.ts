// Small readers over what the stand-in recorded, and inventory helpers for end-to-end tests.
import type { RunningBot } from "../../src/bot.js";
import type { SlackWebApiStandIn, StoredEphemeral, StoredMessage } from "../../src/playground/slack/index.js";

/** Every text string inside some blocks, joined: good enough to assert what a user would read. */
export function blocksText(blocks: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "text" && typeof value === "string") texts.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return texts.join("\n");
}

/** The newest message the bot posted in a channel (default: the workspace's default channel). */
export function latestBotMessage(standIn: SlackWebApiStandIn, channel = standIn.defaultChannel.id): (StoredMessage & { channel: string }) | undefined {
  const message = standIn.conversation(channel).filter((entry) => entry.bot_id).at(-1);
  return message ? { ...message, channel } : undefined;
}

/** The bot's messages in a channel that everyone there sees (default: the workspace's default channel). */
export function botMessages(standIn: SlackWebApiStandIn, channel = standIn.defaultChannel.id): StoredMessage[] {
  return standIn.conversation(channel).filter((entry) => entry.bot_id);
}

/** The newest ephemeral message one user sees (lists, cards, audit pages answered to them alone). */
export function latestEphemeral(standIn: SlackWebApiStandIn, user: string, options: { containing?: string } = {}): StoredEphemeral | undefined {
  return standIn
    .ephemerals({ user })
    .filter((entry) => !options.containing || blocksText(entry.blocks).includes(options.containing) || entry.text.includes(options.containing))
    .at(-1);
}

/** An ephemeral message as its one reader sees it now (it is redrawn in place through response_urls). */
export function ephemeralNow(standIn: SlackWebApiStandIn, user: string, target: { channel: string; ts: string }): StoredEphemeral | undefined {
  return standIn.ephemerals({ user, channel: target.channel }).find((entry) => entry.ts === target.ts);
}

/** n VMs named vm-001.., each backed by a simulated machine. */
export async function addVms(bot: RunningBot, count: number, options: { status: "running" | "stopped"; provider?: "simulator" | "aws" } = { status: "stopped" }) {
  const provider = options.provider ?? "simulator";
  const created = [];
  for (let index = 1; index <= count; index++) {
    const name = `vm-${String(index).padStart(3, "0")}`;
    const instance = await bot.providers.simulator(provider).registerInstance({ name, region: "sim-east-1", state: options.status, details: { cpu: 2, memoryGb: 4, diskGb: 20 } });
    created.push(
      await bot.db.prisma.vm.create({
        data: { name, provider, region: "sim-east-1", status: options.status, providerResourceId: instance.resourceId, tags: { create: [{ key: "team", value: index % 2 ? "backend" : "frontend" }] } },
      }),
    );
  }
  return created;
}

/** Polls `probe` one call at a time (unlike standIn.waitFor, which re-runs it on every change, concurrently). */
export async function pollUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`pollUntil: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
