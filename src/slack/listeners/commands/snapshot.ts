// `/vm snapshot create <vm> [name]` and `/vm snapshots <vm>`: both answer the asker with the VM's
// snapshot list; a snapshot taken is also told to the channel.
import { z } from "zod";
import { answerLookup, postOutcome } from "../../messages.js";
import { snapshotTaken } from "../../presenters/snapshot-outcomes.js";
import { presentSnapshotList } from "../../presenters/snapshots.js";
import { escapeMrkdwn } from "../../views/limits.js";
import { UsageError, askerOf, type Subcommand } from "./subcommand.js";

const createArgs = z.union([z.tuple([z.literal("create"), z.string()]), z.tuple([z.literal("create"), z.string(), z.string()])]);

export const snapshotCommand: Subcommand = {
  name: "snapshot",
  usage: "/vm snapshot create <vm> [name]",
  summary: "Take a snapshot of a VM (the name defaults to the VM and the time)",
  examples: ["/vm snapshot create web-01", "/vm snapshot create web-01 before-upgrade"],
  async run({ deps, args, ctx, argv }) {
    const parsed = createArgs.safeParse(argv.map((word, index) => (index === 0 ? word.toLowerCase() : word)));
    if (!parsed.success) throw new UsageError(argv[0]?.toLowerCase() === "create" ? "Name one VM, and optionally the snapshot." : "Say what to do: `create`.");
    const [, vmName, snapshotName] = parsed.data;
    const created = await deps.services.snapshots.createSnapshot(ctx, vmName, snapshotName);
    const notice = `:camera_with_flash: <@${ctx.actor.slackUserId}> started snapshot *${escapeMrkdwn(created.name)}*.`;
    await answerLookup(args.client, askerOf(args), await presentSnapshotList(deps, ctx, { id: created.vmId }, { audited: false, notice }));
    await postOutcome(args, args.command.channel_id, ctx.actor.slackUserId, snapshotTaken(ctx, created.name, created.vmName));
  },
};

export const snapshotsCommand: Subcommand = {
  name: "snapshots",
  usage: "/vm snapshots <vm>",
  summary: "A VM's snapshots, to restore or delete",
  examples: ["/vm snapshots web-01"],
  async run({ deps, args, ctx, argv }) {
    if (argv.length !== 1) throw new UsageError("Name exactly one VM.");
    await answerLookup(args.client, askerOf(args), await presentSnapshotList(deps, ctx, { name: argv[0]! }, { audited: true }));
  },
};
