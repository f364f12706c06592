// Compute Engine names resources by path: an instance is projects/<p>/zones/<z>/instances/<name>,
// a snapshot projects/<p>/global/snapshots/<name>. API answers use full URLs ending in these paths.

export interface GceInstanceRef {
  project: string;
  zone: string;
  name: string;
}

export interface GceSnapshotRef {
  project: string;
  name: string;
}

const NAME = "[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?";
const INSTANCE = new RegExp(`(?:^|/)projects/([a-z0-9.:-]+)/zones/([a-z0-9-]+)/instances/(${NAME})$`);
const SNAPSHOT = new RegExp(`(?:^|/)projects/([a-z0-9.:-]+)/global/snapshots/(${NAME})$`);

export function parseInstancePath(path: string): GceInstanceRef | undefined {
  const match = INSTANCE.exec(path);
  return match ? { project: match[1]!, zone: match[2]!, name: match[3]! } : undefined;
}

export function parseSnapshotPath(path: string): GceSnapshotRef | undefined {
  const match = SNAPSHOT.exec(path);
  return match ? { project: match[1]!, name: match[2]! } : undefined;
}

export function instancePath({ project, zone, name }: GceInstanceRef): string {
  return `projects/${project}/zones/${zone}/instances/${name}`;
}

export function snapshotPath({ project, name }: GceSnapshotRef): string {
  return `projects/${project}/global/snapshots/${name}`;
}

/** The last segment of a resource URL (zone, machine type, disk). */
export function lastSegment(url: string | null | undefined): string {
  return url ? url.slice(url.lastIndexOf("/") + 1) : "";
}

/** A resource name GCE accepts (lowercase, 63 characters at most), derived from free text. */
export function toResourceName(text: string, suffix: string): string {
  const base = text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "");
  return `${(base || "vm").slice(0, 62 - suffix.length)}-${suffix}`.replace(/--+/g, "-");
}
