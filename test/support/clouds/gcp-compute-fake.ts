// A small Compute Engine on 127.0.0.1 speaking the REST v1 JSON the SDK's REST transport uses:
// instances, disks, snapshots, zonal and global operations that go PENDING -> DONE as they are polled,
// and the JSON error body Google APIs answer with. It can throttle (429 rateLimitExceeded), run out
// of zone capacity or quota (errors inside a DONE operation), and records every call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type GceStatus = "PROVISIONING" | "STAGING" | "RUNNING" | "STOPPING" | "TERMINATED" | "SUSPENDED";

export interface FakeGceInstance {
  project: string;
  zone: string;
  name: string;
  status: GceStatus;
  labels: Record<string, string>;
  machineType: string;
  disks: { deviceName: string; source: string; boot: boolean; autoDelete: boolean }[];
  /** Starting fails inside the operation with this code (e.g. ZONE_RESOURCE_POOL_EXHAUSTED). */
  startFailure?: { code: string; message: string };
}

export interface FakeGceDisk {
  project: string;
  zone: string;
  name: string;
  sourceSnapshot?: string;
  type: string;
  sizeGb: number;
}

export interface FakeGceSnapshot {
  project: string;
  name: string;
  sourceDisk: string;
  status: "CREATING" | "READY" | "FAILED";
  labels: Record<string, string>;
  description: string;
  getsUntilReady: number;
}

interface FakeOperation {
  project: string;
  zone?: string;
  name: string;
  operationType: string;
  targetLink: string;
  status: "PENDING" | "RUNNING" | "DONE";
  pollsUntilDone: number;
  error?: { code: string; message: string };
  /** Runs when the operation reaches DONE without error. */
  complete?: () => void;
}

export interface RecordedGceCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export class GcpComputeFake {
  readonly instances = new Map<string, FakeGceInstance>();
  readonly disks = new Map<string, FakeGceDisk>();
  readonly snapshots = new Map<string, FakeGceSnapshot>();
  readonly operations = new Map<string, FakeOperation>();
  readonly calls: RecordedGceCall[] = [];
  /** How many operation GETs an operation answers before it is DONE. */
  operationPolls = 1;
  private throttles: { pattern: RegExp; remaining: number }[] = [];
  private server?: Server;
  private nextId = 1;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.endpoint;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  reset(): void {
    for (const map of [this.instances, this.disks, this.snapshots, this.operations]) map.clear();
    this.calls.length = 0;
    this.throttles = [];
    this.operationPolls = 1;
  }

  addInstance(input: { project: string; zone: string; name: string; status?: GceStatus; labels?: Record<string, string> }): FakeGceInstance {
    const disk: FakeGceDisk = { project: input.project, zone: input.zone, name: input.name, type: `projects/${input.project}/zones/${input.zone}/diskTypes/pd-balanced`, sizeGb: 10 };
    this.disks.set(diskKey(disk), disk);
    const instance: FakeGceInstance = {
      project: input.project,
      zone: input.zone,
      name: input.name,
      status: input.status ?? "TERMINATED",
      labels: input.labels ?? {},
      machineType: `https://www.googleapis.com/compute/v1/projects/${input.project}/zones/${input.zone}/machineTypes/e2-small`,
      disks: [{ deviceName: "persistent-disk-0", source: diskUrl(disk), boot: true, autoDelete: true }],
    };
    this.instances.set(instanceKey(instance), instance);
    return instance;
  }

  pathOf(instance: FakeGceInstance): string {
    return `projects/${instance.project}/zones/${instance.zone}/instances/${instance.name}`;
  }

  /** The next `times` calls whose "METHOD path" matches answer 429 rateLimitExceeded. */
  throttleNext(pattern: RegExp, times = 1): void {
    this.throttles.push({ pattern, remaining: times });
  }

  callsMatching(pattern: RegExp): RecordedGceCall[] {
    return this.calls.filter((call) => pattern.test(`${call.method} ${call.path}`));
  }

  // ---- the wire -------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    this.calls.push({ method, path: url.pathname, query: url.searchParams, body });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      response.end(JSON.stringify(payload));
    };
    if (!String(request.headers.authorization ?? "").startsWith("Bearer ")) return send(401, googleError(401, "Request is missing required authentication credential.", "required", "UNAUTHENTICATED"));
    const throttle = this.throttles.find((candidate) => candidate.remaining > 0 && candidate.pattern.test(`${method} ${url.pathname}`));
    if (throttle) {
      throttle.remaining -= 1;
      return send(429, googleError(429, "Rate Limit Exceeded", "rateLimitExceeded", "RESOURCE_EXHAUSTED"));
    }
    try {
      send(200, this.route(method, url, body ?? {}));
    } catch (error) {
      if (error instanceof GceFailure) return send(error.status, googleError(error.status, error.message, error.reason, error.statusName));
      send(500, googleError(500, String(error), "backendError", "INTERNAL"));
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown>): unknown {
    const path = url.pathname.replace(/^\/compute\/v1\//, "");
    let match: RegExpExecArray | null;
    if ((match = /^projects\/([^/]+)\/zones\/([^/]+)\/instances$/.exec(path)) && method === "GET") return this.listInstances(match[1]!, match[2]!, url.searchParams);
    if ((match = /^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)(?:\/(\w+))?$/.exec(path))) {
      const instance = this.instance(match[1]!, match[2]!, match[3]!);
      const verb = match[4];
      if (!verb && method === "GET") return this.instanceJson(instance);
      if (verb === "start" || verb === "stop" || verb === "reset") return this.power(instance, verb);
      if (verb === "detachDisk") return this.detachDisk(instance, url.searchParams.get("deviceName") ?? "");
      if (verb === "attachDisk") return this.attachDisk(instance, body);
    }
    if ((match = /^projects\/([^/]+)\/zones\/([^/]+)\/disks$/.exec(path)) && method === "POST") return this.insertDisk(match[1]!, match[2]!, body);
    if ((match = /^projects\/([^/]+)\/zones\/([^/]+)\/disks\/([^/]+)(?:\/(createSnapshot))?$/.exec(path))) {
      const disk = this.disks.get(`${match[1]}/${match[2]}/${match[3]}`);
      if (!disk) throw notFound(path);
      if (match[4]) return this.createSnapshot(disk, body);
      return { kind: "compute#disk", name: disk.name, zone: zoneUrl(disk.project, disk.zone), type: disk.type, sizeGb: String(disk.sizeGb), sourceSnapshot: disk.sourceSnapshot, selfLink: diskUrl(disk), status: "READY" };
    }
    if ((match = /^projects\/([^/]+)\/global\/snapshots$/.exec(path)) && method === "GET") return this.listSnapshots(match[1]!, url.searchParams);
    if ((match = /^projects\/([^/]+)\/global\/snapshots\/([^/]+)$/.exec(path))) {
      const snapshot = this.snapshots.get(`${match[1]}/${match[2]}`);
      if (!snapshot) throw notFound(path);
      if (method === "DELETE") {
        return this.operation({ project: snapshot.project, operationType: "delete", targetLink: snapshotUrl(snapshot), complete: () => this.snapshots.delete(`${snapshot.project}/${snapshot.name}`) });
      }
      return this.snapshotJson(snapshot, true);
    }
    if ((match = /^projects\/([^/]+)\/(?:zones\/([^/]+)|global)\/operations\/([^/]+)$/.exec(path)) && method === "GET") return this.pollOperation(match[3]!);
    throw new GceFailure(404, `No route for ${method} ${url.pathname}`, "notFound", "NOT_FOUND");
  }

  private listInstances(project: string, zone: string, query: URLSearchParams): unknown {
    const labels = [...(query.get("filter") ?? "").matchAll(/labels\.([\w-]+)\s*=\s*"([^"]*)"/g)].map(([, key, value]) => [key!, value!] as const);
    const matches = [...this.instances.values()].filter(
      (instance) => instance.project === project && instance.zone === zone && labels.every(([key, value]) => instance.labels[key] === value),
    );
    const offset = Number(query.get("pageToken") ?? 0);
    const size = Math.min(Number(query.get("maxResults") ?? 500), 500);
    const page = matches.slice(offset, offset + size);
    return {
      kind: "compute#instanceList",
      items: page.map((instance) => this.instanceJson(instance)),
      ...(offset + size < matches.length && { nextPageToken: String(offset + size) }),
    };
  }

  private power(instance: FakeGceInstance, verb: "start" | "stop" | "reset"): unknown {
    const target = this.pathOf(instance);
    if (verb === "reset" && instance.status !== "RUNNING") {
      throw new GceFailure(400, `The resource '${target}' is not ready`, "resourceNotReady", "FAILED_PRECONDITION");
    }
    if (verb === "start") {
      if (instance.status === "RUNNING") return this.operation({ project: instance.project, zone: instance.zone, operationType: "start", targetLink: target });
      if (instance.startFailure) {
        const failure = instance.startFailure;
        return this.operation({ project: instance.project, zone: instance.zone, operationType: "start", targetLink: target, error: failure });
      }
      instance.status = "STAGING";
      return this.operation({ project: instance.project, zone: instance.zone, operationType: "start", targetLink: target, complete: () => void (instance.status = "RUNNING") });
    }
    if (verb === "stop") {
      if (instance.status === "TERMINATED") return this.operation({ project: instance.project, zone: instance.zone, operationType: "stop", targetLink: target });
      instance.status = "STOPPING";
      return this.operation({ project: instance.project, zone: instance.zone, operationType: "stop", targetLink: target, complete: () => void (instance.status = "TERMINATED") });
    }
    return this.operation({ project: instance.project, zone: instance.zone, operationType: "reset", targetLink: target });
  }

  private detachDisk(instance: FakeGceInstance, deviceName: string): unknown {
    const attached = instance.disks.find((disk) => disk.deviceName === deviceName);
    if (!attached) throw new GceFailure(400, `Invalid value for field 'deviceName': '${deviceName}'. No attached disk found with that device name`, "invalid", "INVALID_ARGUMENT");
    if (attached.boot && instance.status !== "TERMINATED") {
      throw new GceFailure(400, `The instance '${instance.name}' must be stopped to detach its boot disk`, "resourceNotReady", "FAILED_PRECONDITION");
    }
    return this.operation({
      project: instance.project,
      zone: instance.zone,
      operationType: "detachDisk",
      targetLink: this.pathOf(instance),
      complete: () => void (instance.disks = instance.disks.filter((disk) => disk !== attached)),
    });
  }

  private attachDisk(instance: FakeGceInstance, body: Record<string, unknown>): unknown {
    const source = String(body.source ?? "");
    const disk = this.disks.get(source.replace(/^.*projects\/([^/]+)\/zones\/([^/]+)\/disks\/([^/]+)$/, "$1/$2/$3"));
    if (!disk) throw notFound(source);
    if (body.boot && instance.disks.some((attached) => attached.boot)) throw new GceFailure(400, "The instance already has a boot disk", "invalid", "INVALID_ARGUMENT");
    return this.operation({
      project: instance.project,
      zone: instance.zone,
      operationType: "attachDisk",
      targetLink: this.pathOf(instance),
      complete: () => instance.disks.unshift({ deviceName: String(body.deviceName ?? disk.name), source: diskUrl(disk), boot: Boolean(body.boot), autoDelete: Boolean(body.autoDelete) }),
    });
  }

  private insertDisk(project: string, zone: string, body: Record<string, unknown>): unknown {
    const sourceSnapshot = String(body.sourceSnapshot ?? "");
    const snapshot = this.snapshots.get(sourceSnapshot.replace(/^.*projects\/([^/]+)\/global\/snapshots\/([^/]+)$/, "$1/$2"));
    if (!snapshot) throw notFound(sourceSnapshot);
    const disk: FakeGceDisk = { project, zone, name: String(body.name), sourceSnapshot: snapshotUrl(snapshot), type: String(body.type ?? "pd-balanced"), sizeGb: 10 };
    return this.operation({ project, zone, operationType: "insert", targetLink: diskUrl(disk), complete: () => this.disks.set(diskKey(disk), disk) });
  }

  private createSnapshot(disk: FakeGceDisk, body: Record<string, unknown>): unknown {
    const snapshot: FakeGceSnapshot = {
      project: disk.project,
      name: String(body.name),
      sourceDisk: diskUrl(disk),
      status: "CREATING",
      labels: (body.labels as Record<string, string>) ?? {},
      description: String(body.description ?? ""),
      getsUntilReady: 1,
    };
    this.snapshots.set(`${snapshot.project}/${snapshot.name}`, snapshot);
    return this.operation({ project: disk.project, zone: disk.zone, operationType: "createSnapshot", targetLink: diskUrl(disk) });
  }

  private listSnapshots(project: string, query: URLSearchParams): unknown {
    const labels = [...(query.get("filter") ?? "").matchAll(/labels\.([\w-]+)\s*=\s*"([^"]*)"/g)].map(([, key, value]) => [key!, value!] as const);
    const items = [...this.snapshots.values()].filter((snapshot) => snapshot.project === project && labels.every(([key, value]) => snapshot.labels[key] === value));
    return { kind: "compute#snapshotList", items: items.map((snapshot) => this.snapshotJson(snapshot, false)) };
  }

  private snapshotJson(snapshot: FakeGceSnapshot, progress: boolean): unknown {
    if (progress && snapshot.status === "CREATING" && --snapshot.getsUntilReady < 0) snapshot.status = "READY";
    return {
      kind: "compute#snapshot",
      name: snapshot.name,
      status: snapshot.status,
      sourceDisk: snapshot.sourceDisk,
      labels: snapshot.labels,
      description: snapshot.description,
      diskSizeGb: "10",
      creationTimestamp: "2026-01-01T00:00:00.000-08:00",
      selfLink: snapshotUrl(snapshot),
    };
  }

  private operation(input: Omit<FakeOperation, "name" | "status" | "pollsUntilDone">): unknown {
    const operation: FakeOperation = { ...input, name: `operation-${this.nextId++}`, status: "PENDING", pollsUntilDone: this.operationPolls };
    this.operations.set(operation.name, operation);
    return this.operationJson(operation);
  }

  private pollOperation(name: string): unknown {
    const operation = this.operations.get(name);
    if (!operation) throw notFound(name);
    if (operation.status !== "DONE") {
      operation.pollsUntilDone -= 1;
      operation.status = operation.pollsUntilDone <= 0 ? "DONE" : "RUNNING";
      if (operation.status === "DONE" && !operation.error) operation.complete?.();
    }
    return this.operationJson(operation);
  }

  private operationJson(operation: FakeOperation): unknown {
    const scope = operation.zone ? `zones/${operation.zone}` : "global";
    return {
      kind: "compute#operation",
      id: String(1000 + this.nextId),
      name: operation.name,
      operationType: operation.operationType,
      targetLink: `https://www.googleapis.com/compute/v1/${operation.targetLink.replace(/^https:\/\/www.googleapis.com\/compute\/v1\//, "")}`,
      status: operation.status,
      progress: operation.status === "DONE" ? 100 : 0,
      ...(operation.zone && { zone: zoneUrl(operation.project, operation.zone) }),
      selfLink: `https://www.googleapis.com/compute/v1/projects/${operation.project}/${scope}/operations/${operation.name}`,
      ...(operation.status === "DONE" && operation.error && { error: { errors: [operation.error] }, httpErrorStatusCode: 503, httpErrorMessage: "SERVICE UNAVAILABLE" }),
    };
  }

  private instance(project: string, zone: string, name: string): FakeGceInstance {
    const instance = this.instances.get(`${project}/${zone}/${name}`);
    if (!instance) throw notFound(`projects/${project}/zones/${zone}/instances/${name}`);
    return instance;
  }

  private instanceJson(instance: FakeGceInstance): unknown {
    return {
      kind: "compute#instance",
      id: String(instanceKey(instance).length * 1000),
      name: instance.name,
      zone: zoneUrl(instance.project, instance.zone),
      status: instance.status,
      machineType: instance.machineType,
      labels: instance.labels,
      disks: instance.disks.map((disk, index) => ({ ...disk, index, type: "PERSISTENT", mode: "READ_WRITE" })),
      networkInterfaces: [{ networkIP: "10.128.0.2" }],
      selfLink: `https://www.googleapis.com/compute/v1/${this.pathOf(instance)}`,
    };
  }
}

class GceFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
    readonly statusName: string,
  ) {
    super(message);
  }
}

function notFound(what: string): GceFailure {
  return new GceFailure(404, `The resource '${what}' was not found`, "notFound", "NOT_FOUND");
}

function googleError(code: number, message: string, reason: string, status: string) {
  return { error: { code, message, errors: [{ message, domain: code === 429 ? "usageLimits" : "global", reason }], status } };
}

function instanceKey(instance: { project: string; zone: string; name: string }): string {
  return `${instance.project}/${instance.zone}/${instance.name}`;
}

const diskKey = instanceKey;

function zoneUrl(project: string, zone: string): string {
  return `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}`;
}

function diskUrl(disk: FakeGceDisk): string {
  return `${zoneUrl(disk.project, disk.zone)}/disks/${disk.name}`;
}

function snapshotUrl(snapshot: FakeGceSnapshot): string {
  return `https://www.googleapis.com/compute/v1/projects/${snapshot.project}/global/snapshots/${snapshot.name}`;
}
