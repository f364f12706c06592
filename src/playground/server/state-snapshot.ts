// What one user sees in the fake workspace right now: the channels and their DM with the bot (messages,
// their own ephemerals, what they ticked or picked on each message), their modal stack and App Home,
// and the files the bot shared with them. The page renders this; it never reads the stand-in any other way.
import type { JsonObject, SlackBlock, SlackFile, SlackView, SlackWebApiStandIn, StateValues } from "../slack/index.js";
import { blocksOf } from "../slack/blocks/block-walk.js";
import { messageSurfaceKey } from "../slack/state/input-state.js";
import type { PlaygroundPerson } from "../demo-workspace.js";

export interface PlaygroundSnapshot {
  me: PlaygroundPerson;
  people: PlaygroundPerson[];
  bot: { id: string; name: string };
  team: { id: string; name: string };
  conversations: ConversationSnapshot[];
  /** The open modal, root first. */
  modal: SlackView[];
  home: SlackView | null;
  files: FileSnapshot[];
}

export interface ConversationSnapshot {
  id: string;
  name: string;
  kind: "channel" | "dm";
  items: TimelineItem[];
}

export interface TimelineItem {
  kind: "message" | "ephemeral";
  ts: string;
  /** Who wrote it: the bot for everything the stand-in holds. */
  user: string;
  text: string;
  blocks: SlackBlock[];
  attachments: JsonObject[];
  files: FileSnapshot[];
  edited: boolean;
  threadTs?: string;
  /** This user's entries on the message's inputs (Slack keeps them per user until the message changes). */
  stateValues: StateValues;
}

export interface FileSnapshot {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
  created: number;
  /** Served by the playground itself: the stand-in listens on a loopback port the browser may not reach. */
  downloadUrl: string;
}

export function snapshotFor(standIn: SlackWebApiStandIn, people: readonly PlaygroundPerson[], userId: string): PlaygroundSnapshot {
  const me = people.find((person) => person.id === userId);
  if (!me) throw new Error(`unknown user ${userId}`);
  const channels = standIn.channels().filter((channel) => !channel.is_im || channel.user === userId);
  return {
    me,
    people: [...people],
    bot: { id: standIn.identity.botUserId, name: standIn.identity.botName },
    team: { id: standIn.identity.teamId, name: standIn.identity.teamName },
    conversations: channels.map((channel) => ({
      id: channel.id,
      name: channel.is_im ? standIn.identity.botName : channel.name,
      kind: channel.is_im ? "dm" : "channel",
      items: timelineOf(standIn, channel.id, userId),
    })),
    modal: standIn.openViews(userId),
    home: standIn.homeView(userId) ?? null,
    // Files shared where this user can see them (a CSV sent to someone else's DM is theirs).
    files: standIn.files().filter((stored) => stored.completed && stored.file.channels.some((id) => channels.some((channel) => channel.id === id))).map((stored) => fileSnapshot(stored.file)),
  };
}

function timelineOf(standIn: SlackWebApiStandIn, channelId: string, userId: string): TimelineItem[] {
  const valuesFor = (ts: string, blocks: SlackBlock[]) => standIn.state.inputs.valuesFor(messageSurfaceKey(channelId, ts, userId), blocks);
  const messages = standIn.conversation(channelId).map((message): TimelineItem => {
    const blocks = blocksOf(message.blocks);
    return {
      kind: "message",
      ts: message.ts,
      user: message.user,
      text: message.text,
      blocks,
      attachments: message.attachments ?? [],
      files: (message.files ?? []).map(fileSnapshot),
      edited: message.edited !== undefined,
      ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
      stateValues: valuesFor(message.ts, blocks),
    };
  });
  const ephemerals = standIn.ephemerals({ channel: channelId, user: userId }).map((message): TimelineItem => {
    const blocks = blocksOf(message.blocks);
    return {
      kind: "ephemeral",
      ts: message.ts,
      user: standIn.identity.botUserId,
      text: message.text,
      blocks,
      attachments: message.attachments ?? [],
      files: [],
      edited: false,
      ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
      stateValues: valuesFor(message.ts, blocks),
    };
  });
  // Slack ts strings have a fixed shape ("1700000000.000100"), so they sort as text.
  return [...messages, ...ephemerals].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

function fileSnapshot(file: SlackFile): FileSnapshot {
  return {
    id: file.id,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    size: file.size,
    created: file.created,
    downloadUrl: `/playground/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name)}`,
  };
}
