// Where audit digests go. AUDIT_DIGEST_CHANNEL lists targets separated by commas; each is a Slack channel
// id, optionally tied to one environment: `C0123ABCD:env=prod,C0456EFGH` posts prod's digest to the first
// channel and the digest of everything to the second.

export interface DigestTarget {
  /** The normalized spelling (`C0123ABCD` or `C0123ABCD:env=prod`): the key its digest periods are stored under. */
  key: string;
  channel: string;
  environment?: string;
}

const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Parses the variable; throws an Error naming the bad entry. An empty value means no digests. */
export function parseDigestTargets(raw: string | undefined): DigestTarget[] {
  const targets: DigestTarget[] = [];
  for (const entry of (raw ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
    const [channel = "", ...options] = entry.split(":").map((part) => part.trim());
    if (!CHANNEL_ID.test(channel)) throw new Error(`"${entry}": ${channel || "the channel"} is not a channel id such as C0123ABCD`);
    let environment: string | undefined;
    for (const option of options) {
      const [key, value = ""] = option.split("=").map((part) => part.trim());
      if (key !== "env" || !ENVIRONMENT_NAME.test(value) || environment) throw new Error(`"${entry}": write CHANNEL or CHANNEL:env=NAME`);
      environment = value;
    }
    const key = environment ? `${channel}:env=${environment}` : channel;
    if (targets.some((target) => target.key === key)) throw new Error(`"${entry}" is listed twice`);
    targets.push({ key, channel, ...(environment ? { environment } : {}) });
  }
  return targets;
}
