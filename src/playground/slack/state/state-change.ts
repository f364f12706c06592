// What changed in the fake workspace, for a live-updating UI and for tests waiting on side effects.
export type StandInChange =
  | { kind: "message"; action: "posted" | "updated" | "deleted"; channel: string; ts: string }
  | { kind: "ephemeral"; action: "posted" | "replaced" | "deleted"; channel: string; ts: string; user: string }
  | { kind: "view"; action: "opened" | "pushed" | "updated" | "closed"; user: string; viewId: string }
  | { kind: "home"; action: "published"; user: string; viewId: string }
  | { kind: "input"; user: string; surface: string }
  | { kind: "file"; action: "uploaded" | "completed"; fileId: string }
  | { kind: "call"; method: string; ok: boolean; error?: string }
  | { kind: "directory"; action: "user_added" | "channel_added"; id: string }
  | { kind: "reset" };

export type StandInChangeListener = (change: StandInChange) => void;
