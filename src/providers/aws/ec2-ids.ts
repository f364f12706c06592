// EC2 resources are named by ARN so an id alone says which account and region to ask.
// Instances: arn:aws:ec2:<region>:<account>:instance/i-...; snapshots: arn:aws:ec2:<region>:<account>:snapshot/snap-...
// (AWS writes snapshot ARNs without the account; the bot keeps it because it needs it to pick credentials).

export interface Ec2Resource {
  partition: string;
  region: string;
  accountId: string;
  id: string;
}

const ARN = /^arn:(aws[a-z-]*):ec2:([a-z0-9-]+):(\d{12}):(instance|snapshot)\/((?:i|snap)-[0-9a-f]+)$/;

export function parseEc2Arn(arn: string, kind: "instance" | "snapshot"): Ec2Resource | undefined {
  const match = ARN.exec(arn);
  if (!match || match[4] !== kind) return undefined;
  const [, partition, region, accountId, , id] = match;
  return { partition: partition!, region: region!, accountId: accountId!, id: id! };
}

export function instanceArn(region: string, accountId: string, instanceId: string, partition = "aws"): string {
  return `arn:${partition}:ec2:${region}:${accountId}:instance/${instanceId}`;
}

export function snapshotArn(region: string, accountId: string, snapshotId: string, partition = "aws"): string {
  return `arn:${partition}:ec2:${region}:${accountId}:snapshot/${snapshotId}`;
}

/** Account + region: the unit EC2 throttles by and the unit one batch call can cover. */
export function scopeOf(resource: Pick<Ec2Resource, "accountId" | "region">): string {
  return `aws:${resource.accountId}:${resource.region}`;
}

/** The instance ids EC2 names in an error message ("The instance 'i-0abc' is not in a state ..."). */
export function instanceIdsIn(message: string): string[] {
  return [...new Set(message.match(/\bi-[0-9a-f]{8,17}\b/g) ?? [])];
}
