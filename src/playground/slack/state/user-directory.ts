// The workspace's people (what users.info answers) and its channels, including app DMs.
import type { SlackIdFactory } from "../slack-ids.js";
import { SlackApiError } from "../api/slack-api-error.js";

export interface SlackUserInput {
  id?: string;
  name: string;
  email?: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  tz_offset?: number;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
}

/** users.info's `user` object (the fields bots commonly read). */
export interface SlackUserRecord {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  profile: { email?: string; real_name: string; display_name: string; real_name_normalized: string; display_name_normalized: string; team: string };
}

export interface ChannelRecord {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_private: boolean;
  /** For an app DM: the user on the other side. */
  user?: string;
}

export class UserDirectory {
  private readonly users = new Map<string, SlackUserRecord>();

  constructor(
    private readonly ids: SlackIdFactory,
    private readonly teamId: string,
    private readonly now: () => number,
  ) {}

  add(input: SlackUserInput): SlackUserRecord {
    const id = input.id ?? this.ids.id("U");
    const realName = input.real_name ?? input.name;
    const displayName = input.display_name ?? input.name;
    const record: SlackUserRecord = {
      id,
      team_id: this.teamId,
      name: input.name,
      deleted: input.deleted ?? false,
      real_name: realName,
      tz: input.tz ?? "Europe/London",
      tz_label: input.tz ?? "Europe/London",
      tz_offset: input.tz_offset ?? 0,
      is_admin: input.is_admin ?? false,
      is_owner: input.is_owner ?? false,
      is_bot: input.is_bot ?? false,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: {
        ...(input.email === undefined ? {} : { email: input.email }),
        real_name: realName,
        display_name: displayName,
        real_name_normalized: realName,
        display_name_normalized: displayName,
        team: this.teamId,
      },
    };
    this.users.set(id, record);
    return structuredClone(record);
  }

  get(userId: string): SlackUserRecord | undefined {
    const user = this.users.get(userId);
    return user && structuredClone(user);
  }

  require(userId: string): SlackUserRecord {
    const user = this.get(userId);
    if (!user) throw new SlackApiError("user_not_found");
    return user;
  }

  findByEmail(email: string): SlackUserRecord | undefined {
    const wanted = email.toLowerCase();
    const user = [...this.users.values()].find((candidate) => candidate.profile.email?.toLowerCase() === wanted);
    return user && structuredClone(user);
  }

  list(): SlackUserRecord[] {
    return [...this.users.values()].map((user) => structuredClone(user));
  }
}

export class ChannelDirectory {
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly dmByUser = new Map<string, string>();

  constructor(private readonly ids: SlackIdFactory) {}

  add(input: { id?: string; name: string; is_private?: boolean }): ChannelRecord {
    const isPrivate = input.is_private ?? false;
    const id = input.id ?? this.ids.id(isPrivate ? "G" : "C");
    const record: ChannelRecord = { id, name: input.name.replace(/^#/, ""), is_channel: !isPrivate, is_group: isPrivate, is_im: false, is_private: isPrivate };
    this.channels.set(id, record);
    return { ...record };
  }

  get(channelId: string): ChannelRecord | undefined {
    const channel = this.channels.get(channelId);
    return channel && { ...channel };
  }

  /** Resolves what Slack accepts as `channel`: a conversation id, "#name"/"name", or a user id (their app DM). */
  resolve(channel: string, userExists: (userId: string) => boolean): ChannelRecord {
    const byId = this.channels.get(channel);
    if (byId) return { ...byId };
    if (/^[UW][A-Z0-9]+$/.test(channel) && userExists(channel)) return this.dmFor(channel);
    const name = channel.replace(/^#/, "");
    const byName = [...this.channels.values()].find((candidate) => !candidate.is_im && candidate.name === name);
    if (byName) return { ...byName };
    throw new SlackApiError("channel_not_found");
  }

  /** The app's DM with a user, created on first use like conversations.open does. */
  dmFor(userId: string): ChannelRecord {
    const existing = this.dmByUser.get(userId);
    if (existing) return { ...this.channels.get(existing)! };
    const record: ChannelRecord = { id: this.ids.id("D"), name: userId, is_channel: false, is_group: false, is_im: true, is_private: true, user: userId };
    this.channels.set(record.id, record);
    this.dmByUser.set(userId, record.id);
    return { ...record };
  }

  hasDm(userId: string): boolean {
    return this.dmByUser.has(userId);
  }

  list(): ChannelRecord[] {
    return [...this.channels.values()].map((channel) => ({ ...channel }));
  }
}
