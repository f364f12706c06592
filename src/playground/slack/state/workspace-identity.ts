// Who the fake workspace and the installed app are: what auth.test answers and payloads carry.
export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
  /** The legacy verification token Slack puts in the `token` field of payloads. */
  verificationToken: string;
}

export const DEFAULT_WORKSPACE_IDENTITY: Readonly<WorkspaceIdentity> = {
  teamId: "T0PLAYGRND",
  teamDomain: "playground",
  teamName: "Playground",
  appId: "A0PLAYAPP0",
  botId: "B0PLAYBOT0",
  botUserId: "U0PLAYBOT0",
  botName: "vm-bot",
  verificationToken: "playground-verification-token",
};
