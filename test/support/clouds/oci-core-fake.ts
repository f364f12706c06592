// A small OCI Core (20160918) stand-in for the calls the adapter makes: instances and InstanceAction,
// boot volume attachments, boot volume backups, boot volumes, instance update with a boot-volume source.
// OCI's wire format: plain JSON resources, JSON arrays for lists paged by the `opc-next-page` header,
// errors as `{ "code", "message" }` with `opc-request-id`. Every request's HTTP signature is checked
// against the test key pair (signed headers, body digest, RSA-SHA256 signature).
// One server serves several regions: the endpoint for a region is `<base>/<region>`.
import { createHash, createVerify, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeLifecycle = "RUNNING" | "STARTING" | "STOPPING" | "STOPPED" | "TERMINATED";

export interface FakeInstance {
  id: string;
  displayName: string;
  region: string;
  compartmentId: string;
  availabilityDomain: string;
  shape: string;
  lifecycleState: FakeLifecycle;
  freeformTags: Record<string, string>;
  /** The state a transition settles in, after `settleAfterReads` more reads. */
  settlesTo?: FakeLifecycle;
  readsUntilSettled: number;
}

export interface FakeAttachment {
  id: string;
  instanceId: string;
  bootVolumeId: string;
  lifecycleState: "ATTACHING" | "ATTACHED" | "DETACHING" | "DETACHED";
  readsUntilSettled: number;
}

export interface FakeBackup {
  id: string;
  bootVolumeId: string;
  compartmentId: string;
  displayName: string;
  lifecycleState: "REQUEST_RECEIVED" | "AVAILABLE" | "TERMINATED";
  freeformTags: Record<string, string>;
  timeCreated: string;
  readsUntilSettled: number;
}

export interface FakeBootVolume {
  id: string;
  compartmentId: string;
  availabilityDomain: string;
  sourceBackupId?: string;
  lifecycleState: "PROVISIONING" | "AVAILABLE";
  readsUntilSettled: number;
}

export interface RecordedOciRequest {
  method: string;
  region: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  signedHeaders: string[];
}

interface OciFault {
  method?: string;
  path: RegExp;
  status: number;
  code: string;
  message: string;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const REGION_CODES: Record<string, string> = { "us-ashburn-1": "iad", "us-phoenix-1": "phx" };

export class OciCoreFake {
  readonly requests: RecordedOciRequest[] = [];
  readonly instances = new Map<string, FakeInstance>();
  readonly attachments: FakeAttachment[] = [];
  readonly backups = new Map<string, FakeBackup>();
  readonly bootVolumes = new Map<string, FakeBootVolume>();
  /** Reads a transition (instance, backup, volume, attachment) takes to settle. */
  transitionReads = 1;
  /** Items per page in list answers, so paging is exercised. */
  pageSize = 2;
  /** Requests whose signature verified. */
  verifiedSignatures = 0;
  private readonly faults: OciFault[] = [];
  private readonly staysStopped = new Set<string>();
  private server!: Server;
  private base = "";

  private constructor(
    private readonly publicKey: KeyObject,
    private readonly keyId: string,
  ) {}

  static async start(publicKey: KeyObject, keyId: string): Promise<OciCoreFake> {
    const fake = new OciCoreFake(publicKey, keyId);
    fake.server = createServer((request, response) => {
      fake.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: "InternalError", message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  endpointFor(region: string): string {
    return `${this.base}/${region}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.instances.clear();
    this.attachments.length = 0;
    this.backups.clear();
    this.bootVolumes.clear();
    this.requests.length = 0;
    this.faults.length = 0;
    this.staysStopped.clear();
    this.verifiedSignatures = 0;
    this.transitionReads = 1;
  }

  addInstance(instance: Partial<FakeInstance> & Pick<FakeInstance, "displayName">): string {
    const region = instance.region ?? "us-ashburn-1";
    const id = ocid("instance", region);
    const full: FakeInstance = {
      id,
      region,
      compartmentId: "ocid1.compartment.oc1..aaaaapps",
      availabilityDomain: "Uocm:US-ASHBURN-AD-1",
      shape: "VM.Standard.E4.Flex",
      lifecycleState: "RUNNING",
      freeformTags: {},
      readsUntilSettled: 0,
      ...instance,
    };
    this.instances.set(id, full);
    const bootVolumeId = ocid("bootvolume", region);
    this.bootVolumes.set(bootVolumeId, { id: bootVolumeId, compartmentId: full.compartmentId, availabilityDomain: full.availabilityDomain, lifecycleState: "AVAILABLE", readsUntilSettled: 0 });
    this.attachments.push({ id: ocid("instance-bootvolume-attachment", region), instanceId: id, bootVolumeId, lifecycleState: "ATTACHED", readsUntilSettled: 0 });
    return id;
  }

  instance(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`No fake instance ${id}`);
    return instance;
  }

  attachedBootVolume(instanceId: string): string | undefined {
    return this.attachments.find((attachment) => attachment.instanceId === instanceId && attachment.lifecycleState === "ATTACHED")?.bootVolumeId;
  }

  failNext(match: { method?: string; path: RegExp }, status: number, code: string, message: string): void {
    this.faults.push({ ...match, status, code, message });
  }

  /** The next START is accepted (200, STARTING) but the instance falls back to STOPPED. */
  leaveStopped(instanceId: string): void {
    this.staysStopped.add(instanceId);
  }

  count(method: string, path: RegExp): number {
    return this.requests.filter((request) => request.method === method && path.test(request.path)).length;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.base);
    const raw = await readBody(request);
    const method = request.method ?? "GET";
    const [, region = "", version = "", ...rest] = url.pathname.split("/");
    const path = `/${rest.join("/")}`;
    const send = ({ status, body, headers }: Answer) => {
      response.writeHead(status, { "content-type": "application/json", "opc-request-id": randomUUID().replace(/-/g, "").toUpperCase(), ...headers });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const signature = this.verifySignature(request, url, raw);
    this.requests.push({ method, region, path, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined, signedHeaders: signature.headers });
    if (!signature.ok) return send(error(401, "NotAuthenticated", `The required information to complete authentication was not provided or was incorrect (${signature.why}).`));
    this.verifiedSignatures += 1;
    if (version !== "20160918") return send(error(404, "NotFound", `Unknown API version ${version}`));
    const fault = this.faults.findIndex((f) => (!f.method || f.method === method) && f.path.test(path));
    if (fault >= 0) {
      const [{ status, code, message }] = this.faults.splice(fault, 1) as [OciFault];
      return send(error(status, code, message));
    }
    return send(this.route(method, region, path, url.searchParams, raw ? JSON.parse(raw) : undefined));
  }

  /** Checks the `Authorization: Signature version="1",keyId=...,algorithm="rsa-sha256",headers=...,signature=...` header. */
  private verifySignature(request: IncomingMessage, url: URL, body: string): { ok: boolean; why?: string; headers: string[] } {
    const authorization = request.headers.authorization ?? "";
    const fields: Record<string, string | undefined> = Object.fromEntries(
      [...authorization.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    // Header names are case-insensitive; the SDK signs some capitalised ("Content-Type").
    const headers = (fields.headers ?? "").split(" ").filter(Boolean).map((header: string) => header.toLowerCase());
    const fail = (why: string) => ({ ok: false, why, headers });
    if (!authorization.startsWith("Signature ") || fields.version !== "1") return fail("not a version 1 signature");
    if (fields.keyId !== this.keyId) return fail(`unknown keyId ${fields.keyId}`);
    if (fields.algorithm !== "rsa-sha256") return fail(`algorithm ${fields.algorithm}`);
    const required = ["(request-target)", "host", request.headers["x-date"] ? "x-date" : "date"];
    // POST and PUT also sign the body: its type, length and SHA-256 digest.
    if (["POST", "PUT", "PATCH"].includes(request.method ?? "")) required.push("content-type", "content-length", "x-content-sha256");
    const missing = required.filter((header) => !headers.includes(header));
    if (missing.length) return fail(`unsigned ${missing.join(", ")}`);
    if (headers.includes("x-content-sha256") && request.headers["x-content-sha256"] !== createHash("sha256").update(body).digest("base64")) {
      return fail("body digest mismatch");
    }
    const signingString = headers
      .map((header: string) =>
        header === "(request-target)" ? `(request-target): ${(request.method ?? "").toLowerCase()} ${url.pathname}${url.search}` : `${header}: ${request.headers[header]}`,
      )
      .join("\n");
    const verified = createVerify("RSA-SHA256").update(signingString).verify(this.publicKey, fields.signature ?? "", "base64");
    return verified ? { ok: true, headers } : fail("signature does not verify");
  }

  private route(method: string, region: string, path: string, query: URLSearchParams, body: unknown): Answer {
    let match: RegExpExecArray | null;
    if (path === "/instances" && method === "GET") {
      const compartmentId = query.get("compartmentId");
      const all = [...this.instances.values()].filter((instance) => instance.region === region && instance.compartmentId === compartmentId);
      return this.page(all.map((instance) => this.instanceJson(instance, false)), query);
    }
    if ((match = /^\/instances\/([^/]+)$/.exec(path))) {
      const instance = this.instances.get(decodeURIComponent(match[1] ?? ""));
      if (!instance) return notAuthorizedOrNotFound();
      if (method === "GET") return { status: 200, body: this.instanceJson(instance, true), headers: { etag: randomUUID() } };
      if (method === "POST") return this.instanceAction(instance, query.get("action") ?? "");
      if (method === "PUT") return this.updateInstance(instance, body);
    }
    if (path === "/bootVolumeAttachments" && method === "GET") {
      const instanceId = query.get("instanceId");
      const found = this.attachments.filter((attachment) => attachment.instanceId === instanceId && attachment.lifecycleState !== "DETACHED");
      for (const attachment of found) settle(attachment, { ATTACHING: "ATTACHED", DETACHING: "DETACHED" });
      return { status: 200, body: found.map((attachment) => ({ ...attachment, availabilityDomain: "Uocm:US-ASHBURN-AD-1", compartmentId: "ocid1.compartment.oc1..aaaaapps", timeCreated: new Date().toISOString() })) };
    }
    if (path === "/bootVolumeBackups" && method === "POST") return this.createBackup(region, body);
    if (path === "/bootVolumeBackups" && method === "GET") {
      const compartmentId = query.get("compartmentId");
      return this.page([...this.backups.values()].filter((backup) => backup.compartmentId === compartmentId).map(backupJson), query);
    }
    if ((match = /^\/bootVolumeBackups\/([^/]+)$/.exec(path))) {
      const backup = this.backups.get(decodeURIComponent(match[1] ?? ""));
      if (!backup) return notAuthorizedOrNotFound();
      if (method === "GET") {
        settle(backup, { REQUEST_RECEIVED: "AVAILABLE" });
        return { status: 200, body: backupJson(backup) };
      }
      if (method === "DELETE") {
        backup.lifecycleState = "TERMINATED";
        return { status: 204 };
      }
    }
    if (path === "/bootVolumes" && method === "POST") return this.createBootVolume(region, body);
    if ((match = /^\/bootVolumes\/([^/]+)$/.exec(path)) && method === "GET") {
      const volume = this.bootVolumes.get(decodeURIComponent(match[1] ?? ""));
      if (!volume) return notAuthorizedOrNotFound();
      settle(volume, { PROVISIONING: "AVAILABLE" });
      return { status: 200, body: bootVolumeJson(volume) };
    }
    return error(404, "NotFound", `No route for ${method} ${path}`);
  }

  private instanceAction(instance: FakeInstance, action: string): Answer {
    const state = instance.settlesTo ?? instance.lifecycleState;
    switch (action) {
      case "START":
        if (state !== "RUNNING") {
          const staysStopped = this.staysStopped.delete(instance.id);
          this.transition(instance, "STARTING", staysStopped ? "STOPPED" : "RUNNING");
        }
        break;
      case "STOP":
      case "SOFTSTOP":
        if (state !== "STOPPED") this.transition(instance, "STOPPING", "STOPPED");
        break;
      case "SOFTRESET":
      case "RESET":
        if (state !== "RUNNING") return error(409, "IncorrectState", `Instance ${instance.id} is in lifecycle state ${state} and cannot be reset.`);
        break;
      default:
        return error(400, "InvalidParameter", `Unknown action ${action}`);
    }
    return { status: 200, body: this.instanceJson(instance, false), headers: { etag: randomUUID() } };
  }

  private updateInstance(instance: FakeInstance, body: unknown): Answer {
    const source = (body as { sourceDetails?: { sourceType?: string; bootVolumeId?: string; isPreserveBootVolumeEnabled?: boolean } }).sourceDetails;
    if (source) {
      if (source.sourceType !== "bootVolume" || !source.bootVolumeId) return error(400, "InvalidParameter", "sourceDetails must be of sourceType bootVolume");
      const volume = this.bootVolumes.get(source.bootVolumeId);
      if (!volume || volume.lifecycleState !== "AVAILABLE") return error(409, "IncorrectState", `Boot volume ${source.bootVolumeId} is not available.`);
      for (const attachment of this.attachments.filter((a) => a.instanceId === instance.id && a.lifecycleState === "ATTACHED")) {
        attachment.lifecycleState = "DETACHING";
        attachment.readsUntilSettled = this.transitionReads;
      }
      this.attachments.push({ id: ocid("instance-bootvolume-attachment", instance.region), instanceId: instance.id, bootVolumeId: volume.id, lifecycleState: "ATTACHING", readsUntilSettled: this.transitionReads });
    }
    return { status: 200, body: this.instanceJson(instance, false), headers: { etag: randomUUID(), "opc-work-request-id": ocid("coreservicesworkrequest", instance.region) } };
  }

  private createBackup(region: string, body: unknown): Answer {
    const details = body as { bootVolumeId: string; displayName?: string; freeformTags?: Record<string, string> };
    const volume = this.bootVolumes.get(details.bootVolumeId);
    if (!volume) return notAuthorizedOrNotFound();
    const backup: FakeBackup = {
      id: ocid("bootvolumebackup", region),
      bootVolumeId: volume.id,
      compartmentId: volume.compartmentId,
      displayName: details.displayName ?? "backup",
      lifecycleState: "REQUEST_RECEIVED",
      freeformTags: details.freeformTags ?? {},
      timeCreated: new Date().toISOString(),
      readsUntilSettled: this.transitionReads,
    };
    this.backups.set(backup.id, backup);
    return { status: 200, body: backupJson(backup), headers: { etag: randomUUID() } };
  }

  private createBootVolume(region: string, body: unknown): Answer {
    const details = body as { availabilityDomain: string; compartmentId: string; sourceDetails?: { type?: string; id?: string } };
    if (details.sourceDetails?.type !== "bootVolumeBackup") return error(400, "InvalidParameter", "sourceDetails.type must be bootVolumeBackup");
    const backup = this.backups.get(details.sourceDetails.id ?? "");
    if (!backup || backup.lifecycleState !== "AVAILABLE") return notAuthorizedOrNotFound();
    const volume: FakeBootVolume = {
      id: ocid("bootvolume", region),
      compartmentId: details.compartmentId,
      availabilityDomain: details.availabilityDomain,
      sourceBackupId: backup.id,
      lifecycleState: "PROVISIONING",
      readsUntilSettled: this.transitionReads,
    };
    this.bootVolumes.set(volume.id, volume);
    return { status: 200, body: bootVolumeJson(volume) };
  }

  private transition(instance: FakeInstance, during: FakeLifecycle, after: FakeLifecycle): void {
    instance.lifecycleState = during;
    instance.settlesTo = after;
    instance.readsUntilSettled = this.transitionReads;
  }

  private instanceJson(instance: FakeInstance, advance: boolean) {
    if (advance && instance.settlesTo) {
      if (instance.readsUntilSettled <= 0) {
        instance.lifecycleState = instance.settlesTo;
        instance.settlesTo = undefined;
      } else instance.readsUntilSettled -= 1;
    }
    return {
      id: instance.id,
      displayName: instance.displayName,
      compartmentId: instance.compartmentId,
      availabilityDomain: instance.availabilityDomain,
      // OCI answers the short code for the oldest regions, the region id for the others.
      region: REGION_CODES[instance.region] ?? instance.region,
      shape: instance.shape,
      shapeConfig: { ocpus: 1, memoryInGBs: 16 },
      lifecycleState: instance.lifecycleState,
      freeformTags: instance.freeformTags,
      definedTags: {},
      timeCreated: "2025-01-01T00:00:00.000Z",
    };
  }

  private page(items: unknown[], query: URLSearchParams): Answer {
    const start = Number(query.get("page") ?? 0);
    const end = start + this.pageSize;
    return { status: 200, body: items.slice(start, end), headers: end < items.length ? { "opc-next-page": String(end) } : {} };
  }
}

function settle<T extends { lifecycleState: string; readsUntilSettled: number }>(resource: T, next: Record<string, T["lifecycleState"]>): void {
  const target = next[resource.lifecycleState];
  if (!target) return;
  if (resource.readsUntilSettled <= 0) resource.lifecycleState = target;
  else resource.readsUntilSettled -= 1;
}

function backupJson(backup: FakeBackup) {
  const { readsUntilSettled: _, ...wire } = backup;
  return { ...wire, sizeInGBs: 47, type: "INCREMENTAL", sourceType: "MANUAL" };
}

function bootVolumeJson(volume: FakeBootVolume) {
  return {
    id: volume.id,
    compartmentId: volume.compartmentId,
    availabilityDomain: volume.availabilityDomain,
    lifecycleState: volume.lifecycleState,
    sizeInGBs: 47,
    sizeInMBs: 48128,
    timeCreated: new Date().toISOString(),
    ...(volume.sourceBackupId ? { sourceDetails: { type: "bootVolumeBackup", id: volume.sourceBackupId } } : {}),
  };
}

function error(status: number, code: string, message: string): Answer {
  return { status, body: { code, message } };
}

const notAuthorizedOrNotFound = () => error(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");

function ocid(type: string, region: string): string {
  return `ocid1.${type}.oc1.${REGION_CODES[region] ?? region}.${randomUUID().replace(/-/g, "")}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
