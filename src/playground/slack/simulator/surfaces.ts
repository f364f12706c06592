// The thing a simulated user interacts with: a channel message, an ephemeral message only they
// see, or one of their views (modal or App Home).
import type { SlackBlock } from "../json-types.js";
import { blocksOf } from "../blocks/block-walk.js";
import type { StoredEphemeral, StoredMessage } from "../state/conversation-store.js";
import { messageSurfaceKey, viewSurfaceKey } from "../state/input-state.js";
import type { ChannelRecord } from "../state/user-directory.js";
import type { SlackView, ViewSurface } from "../state/view-registry.js";
import type { WorkspaceState } from "../state/workspace-state.js";

/** Where an interaction happens: a message (by channel and ts) or a view (by id). */
export type InteractionTarget = { channel: string; ts: string } | { viewId: string };

export type Surface =
  | { kind: "message"; channel: ChannelRecord; message: StoredMessage; blocks: SlackBlock[]; stateKey: string }
  | { kind: "ephemeral"; channel: ChannelRecord; message: StoredEphemeral; blocks: SlackBlock[]; stateKey: string }
  | { kind: "view"; surface: ViewSurface; view: SlackView; blocks: SlackBlock[]; stateKey: string };

export function resolveSurface(state: WorkspaceState, userId: string, target: InteractionTarget): Surface {
  if ("viewId" in target) {
    const location = state.views.find(target.viewId);
    if (!location) throw new Error(`No open view ${target.viewId}`);
    if (location.userId !== userId) throw new Error(`View ${target.viewId} belongs to ${location.userId}, not ${userId}`);
    return { kind: "view", surface: location.surface, view: location.view, blocks: location.view.blocks, stateKey: viewSurfaceKey(location.view.id) };
  }
  const channel = state.resolveChannel(target.channel);
  const stateKey = messageSurfaceKey(channel.id, target.ts, userId);
  const message = state.conversations.find(channel.id, target.ts);
  if (message) return { kind: "message", channel, message, blocks: blocksOf(message.blocks), stateKey };
  const ephemeral = state.conversations.findEphemeral(channel.id, target.ts, userId);
  if (ephemeral) return { kind: "ephemeral", channel, message: ephemeral, blocks: blocksOf(ephemeral.blocks), stateKey };
  throw new Error(`No message ${target.ts} in ${channel.id} visible to ${userId}`);
}

/** Re-reads a surface after its input state changed. */
export function refreshSurface(state: WorkspaceState, userId: string, surface: Surface): Surface {
  if (surface.kind === "view") return resolveSurface(state, userId, { viewId: surface.view.id });
  return resolveSurface(state, userId, { channel: surface.channel.id, ts: surface.message.ts });
}
