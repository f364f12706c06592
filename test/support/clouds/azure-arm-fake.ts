// A small Azure Resource Manager stand-in for the Compute calls the adapter makes, speaking ARM's wire
// format: `{ value, nextLink }` pages, resources with `properties`, instance views with PowerState/x
// statuses, long-running operations answered 202/201 with Azure-AsyncOperation (+ Location) headers
// whose status moves InProgress -> Succeeded | Failed, errors as `{ "error": { "code", "message" } }`.
// It keeps state, counts requests and can inject throttling, failed operations and "accepted but stopped".
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FAKE_TLS_CERT, FAKE_TLS_KEY } from "./azure-arm-fake-tls.js";

export const FAKE_ARM_TOKEN = "fake-arm-token";
export { FAKE_TLS_CERT };

export type FakePowerState = "running" | "starting" | "stopping" | "stopped" | "deallocating" | "deallocated";

const POWER_WORDS: Record<FakePowerState, string> = {
  running: "VM running",
  starting: "VM starting",
  stopping: "VM stopping",
  stopped: "VM stopped",
  deallocating: "VM deallocating",
  deallocated: "VM deallocated",
};

export interface FakeVm {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  vmSize: string;
  power: FakePowerState;
  osDiskName: string;
  /** Extra instance-view statuses (e.g. a failed provisioning state with Azure's reason). */
  extraStatuses: { code: string; level: string; displayStatus: string; message?: string }[];
}

export interface FakeSnapshot {
  id: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  sourceResourceId: string;
  provisioningState: "Creating" | "Succeeded" | "Deleting";
  timeCreated: string;
}

export interface FakeDisk {
  id: string;
  name: string;
  sourceResourceId?: string;
  provisioningState: "Creating" | "Succeeded";
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

interface Operation {
  id: string;
  polls: number;
  failure?: ArmError;
  apply: () => void;
  done: boolean;
}

interface ArmError {
  code: string;
  message: string;
}

interface InjectedFault {
  method?: string;
  pathPattern: RegExp;
  status: number;
  error: ArmError;
  retryAfter?: string;
}

const VM_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)(?:\/(start|deallocate|powerOff|restart|instanceView))?$/i;
const LIST_VMS = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.Compute\/virtualMachines$/i;
const SNAPSHOT_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/snapshots(?:\/([^/]+))?$/i;
const DISK_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/disks\/([^/]+)$/i;
const OPERATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/(operations|operationResults)\/([^/]+)$/i;

export class AzureArmFake {
  readonly requests: RecordedRequest[] = [];
  readonly vms = new Map<string, FakeVm>();
  readonly snapshots = new Map<string, FakeSnapshot>();
  readonly disks = new Map<string, FakeDisk>();
  /** Polls an operation answers InProgress before it settles. */
  operationPolls = 1;
  /** VMs per page in list answers, so paging is exercised. */
  pageSize = 2;
  /** Most long-running operations open at once (shows how many per-VM calls ran concurrently). */
  maxOpenOperations = 0;
  private readonly operations = new Map<string, Operation>();
  private readonly faults: InjectedFault[] = [];
  private readonly operationFailures = new Map<string, ArmError>();
  private readonly staysStopped = new Map<string, ArmError | undefined>();
  private server!: Server;
  endpoint = "";

  static async start(): Promise<AzureArmFake> {
    const fake = new AzureArmFake();
    fake.server = createServer({ key: FAKE_TLS_KEY, cert: FAKE_TLS_CERT }, (request, response) => {
      fake.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "FakeFailure", message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.endpoint = `https://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addVm(vm: Partial<FakeVm> & Pick<FakeVm, "subscriptionId" | "resourceGroup" | "name">): string {
    const full: FakeVm = {
      location: "westeurope",
      tags: {},
      vmSize: "Standard_B2s",
      power: "running",
      osDiskName: `${vm.name}_OsDisk_1`,
      extraStatuses: [],
      ...vm,
    };
    this.vms.set(full.name.toLowerCase(), full);
    this.disks.set(full.osDiskName.toLowerCase(), { id: this.diskId(full, full.osDiskName), name: full.osDiskName, provisioningState: "Succeeded" });
    return vmId(full);
  }

  vm(name: string): FakeVm {
    const vm = this.vms.get(name.toLowerCase());
    if (!vm) throw new Error(`No fake VM ${name}`);
    return vm;
  }

  /** The next request matching answers `status` with this ARM error (and Retry-After, if given). */
  failNext(match: { method?: string; path: RegExp }, status: number, error: ArmError, retryAfter?: string): void {
    this.faults.push({ method: match.method, pathPattern: match.path, status, error, retryAfter });
  }

  /** The next `action` on this VM is accepted, then its long-running operation ends Failed. */
  failOperation(vmName: string, action: "start" | "deallocate" | "powerOff" | "restart", error: ArmError): void {
    this.operationFailures.set(`${vmName.toLowerCase()}/${action}`, error);
  }

  /** The next start succeeds as an operation but the VM stays deallocated (with this status, if given). */
  leaveStopped(vmName: string, status?: ArmError): void {
    this.staysStopped.set(vmName.toLowerCase(), status);
  }

  count(method: string, pathPattern: RegExp): number {
    return this.requests.filter((request) => request.method === method && pathPattern.test(request.path)).length;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.endpoint);
    const body = await readJson(request);
    const method = request.method ?? "GET";
    this.requests.push({ method, path: url.pathname, query: url.searchParams, body });
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", "x-ms-request-id": randomUUID(), ...headers });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (request.headers.authorization !== `Bearer ${FAKE_ARM_TOKEN}`) {
      return send(401, { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
    }
    if (!url.searchParams.get("api-version")) {
      return send(400, { error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." } });
    }
    const fault = this.faults.findIndex((f) => (!f.method || f.method === method) && f.pathPattern.test(url.pathname));
    if (fault >= 0) {
      const [{ status, error, retryAfter }] = this.faults.splice(fault, 1) as [InjectedFault];
      return send(status, { error }, retryAfter ? { "retry-after": retryAfter } : {});
    }
    const answer = this.route(method, url, body);
    return send(answer.status, answer.body, answer.headers);
  }

  private route(method: string, url: URL, body: unknown): Answer {
    const path = url.pathname;
    let match: RegExpExecArray | null;
    if ((match = OPERATION_PATH.exec(path))) return this.operationStatus(match[4] ?? "", match[3]?.toLowerCase() === "operationresults");
    if (method === "GET" && (match = LIST_VMS.exec(path))) return this.listVms(url, match[1] ?? "", match[2]);
    if ((match = VM_PATH.exec(path))) {
      const vm = this.vms.get((match[3] ?? "").toLowerCase());
      if (!vm) return notFound("Microsoft.Compute/virtualMachines", match[3] ?? "", match[2] ?? "");
      const action = match[4]?.toLowerCase();
      if (method === "GET" && action === "instanceview") return ok(this.instanceView(vm));
      if (method === "GET" && !action) return ok(this.vmJson(vm, url.searchParams.get("$expand") === "instanceView"));
      if (method === "POST" && action) return this.powerAction(vm, action);
      if (method === "PATCH" && !action) return this.updateVm(vm, body);
    }
    if ((match = SNAPSHOT_PATH.exec(path))) {
      const [, subscriptionId = "", resourceGroup = "", name] = match;
      if (!name && method === "GET") {
        return ok({ value: [...this.snapshots.values()].filter((s) => s.id.toLowerCase().includes(`/resourcegroups/${resourceGroup.toLowerCase()}/`)).map(snapshotJson) });
      }
      if (name) return this.snapshot(method, { subscriptionId, resourceGroup, name }, body);
    }
    if ((match = DISK_PATH.exec(path))) {
      const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
      return this.disk(method, { subscriptionId, resourceGroup, name }, body);
    }
    return { status: 404, body: { error: { code: "NoRegisteredProviderFound", message: `No route for ${method} ${path}` } } };
  }

  private listVms(url: URL, subscriptionId: string, resourceGroup?: string): Answer {
    const statusOnly = url.searchParams.get("statusOnly") === "true";
    const all = [...this.vms.values()].filter(
      (vm) => vm.subscriptionId === subscriptionId && (!resourceGroup || vm.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()),
    );
    const skip = Number(url.searchParams.get("$skiptoken") ?? 0);
    const page = all.slice(skip, skip + this.pageSize);
    const next = new URL(url);
    next.searchParams.set("$skiptoken", String(skip + this.pageSize));
    return ok({
      value: page.map((vm) => (statusOnly ? { id: vmId(vm), name: vm.name, location: vm.location, properties: { instanceView: this.instanceView(vm) } } : this.vmJson(vm, false))),
      ...(skip + this.pageSize < all.length ? { nextLink: next.toString() } : {}),
    });
  }

  private powerAction(vm: FakeVm, action: string): Answer {
    const key = `${vm.name.toLowerCase()}/${action === "poweroff" ? "powerOff" : action}`;
    const failure = this.operationFailures.get(key);
    this.operationFailures.delete(key);
    const before = vm.power;
    const transitions: Record<string, [FakePowerState, FakePowerState]> = {
      start: ["starting", "running"],
      deallocate: ["deallocating", "deallocated"],
      poweroff: ["stopping", "stopped"],
      restart: ["running", "running"],
    };
    const [during, after] = transitions[action] ?? ["running", "running"];
    if (action === "restart" && before !== "running") {
      return { status: 409, body: { error: { code: "OperationNotAllowed", message: `Operation 'restart' is not allowed on VM '${vm.name}' since the VM is ${POWER_WORDS[before].replace("VM ", "")}.` } } };
    }
    vm.power = during;
    const staysStopped = action === "start" && this.staysStopped.has(vm.name.toLowerCase());
    const reason = this.staysStopped.get(vm.name.toLowerCase());
    if (staysStopped) this.staysStopped.delete(vm.name.toLowerCase());
    return this.accept(vm, failure, () => {
      if (failure) {
        vm.power = before;
        return;
      }
      vm.power = staysStopped ? "deallocated" : after;
      if (staysStopped && reason) {
        vm.extraStatuses.push({ code: `ProvisioningState/failed/${reason.code}`, level: "Error", displayStatus: "Provisioning failed", message: reason.message });
      }
      if (!staysStopped) vm.extraStatuses = [];
    });
  }

  private updateVm(vm: FakeVm, body: unknown): Answer {
    const osDisk = (body as { properties?: { storageProfile?: { osDisk?: { name?: string; managedDisk?: { id?: string } } } } }).properties?.storageProfile?.osDisk;
    const diskName = osDisk?.managedDisk?.id?.split("/").pop() ?? "";
    if (osDisk) {
      if (vm.power !== "deallocated") {
        return { status: 409, body: { error: { code: "OperationNotAllowed", message: `Changing property 'osDisk.managedDisk.id' is not allowed unless VM '${vm.name}' is deallocated.` } } };
      }
      if (!this.disks.has(diskName.toLowerCase())) return notFound("Microsoft.Compute/disks", diskName, vm.resourceGroup);
    }
    const accepted = this.accept(vm, undefined, () => {
      if (osDisk) vm.osDiskName = this.disks.get(diskName.toLowerCase())?.name ?? diskName;
    });
    // PATCH answers 200 with the model and only an Azure-AsyncOperation header.
    return { status: 200, body: this.vmJson(vm, false), headers: { "azure-asyncoperation": accepted.headers?.["azure-asyncoperation"] ?? "" } };
  }

  private snapshot(method: string, id: { subscriptionId: string; resourceGroup: string; name: string }, body: unknown): Answer {
    const key = id.name.toLowerCase();
    const existing = this.snapshots.get(key);
    if (method === "GET") return existing ? ok(snapshotJson(existing)) : notFound("Microsoft.Compute/snapshots", id.name, id.resourceGroup);
    if (method === "DELETE") {
      if (!existing) return { status: 204 };
      existing.provisioningState = "Deleting";
      return this.acceptAt(id.subscriptionId, existing.location, undefined, () => this.snapshots.delete(key), true);
    }
    if (method === "PUT") {
      const request = body as { location: string; tags?: Record<string, string>; properties?: { creationData?: { createOption?: string; sourceResourceId?: string } } };
      const source = request.properties?.creationData?.sourceResourceId ?? "";
      if (!this.disks.has((source.split("/").pop() ?? "").toLowerCase())) return notFound("Microsoft.Compute/disks", source, id.resourceGroup);
      const snapshot: FakeSnapshot = {
        id: `/subscriptions/${id.subscriptionId}/resourceGroups/${id.resourceGroup}/providers/Microsoft.Compute/snapshots/${id.name}`,
        name: id.name,
        location: request.location,
        tags: request.tags ?? {},
        sourceResourceId: source,
        provisioningState: "Creating",
        timeCreated: new Date().toISOString(),
      };
      this.snapshots.set(key, snapshot);
      const accepted = this.acceptAt(id.subscriptionId, snapshot.location, undefined, () => (snapshot.provisioningState = "Succeeded"), false);
      return { status: 201, body: snapshotJson(snapshot), headers: accepted.headers };
    }
    return { status: 405 };
  }

  private disk(method: string, id: { subscriptionId: string; resourceGroup: string; name: string }, body: unknown): Answer {
    const key = id.name.toLowerCase();
    if (method === "GET") {
      const disk = this.disks.get(key);
      return disk ? ok(diskJson(disk)) : notFound("Microsoft.Compute/disks", id.name, id.resourceGroup);
    }
    if (method === "PUT") {
      const request = body as { location: string; properties?: { creationData?: { sourceResourceId?: string } } };
      const source = request.properties?.creationData?.sourceResourceId ?? "";
      if (!this.snapshots.has((source.split("/").pop() ?? "").toLowerCase())) return notFound("Microsoft.Compute/snapshots", source, id.resourceGroup);
      const disk: FakeDisk = {
        id: `/subscriptions/${id.subscriptionId}/resourceGroups/${id.resourceGroup}/providers/Microsoft.Compute/disks/${id.name}`,
        name: id.name,
        sourceResourceId: source,
        provisioningState: "Creating",
      };
      this.disks.set(key, disk);
      const accepted = this.acceptAt(id.subscriptionId, request.location, undefined, () => (disk.provisioningState = "Succeeded"), false);
      return { status: 201, body: diskJson(disk), headers: accepted.headers };
    }
    return { status: 405 };
  }

  private accept(vm: FakeVm, failure: ArmError | undefined, apply: () => void): Answer {
    return this.acceptAt(vm.subscriptionId, vm.location, failure, apply, true);
  }

  /** 202 Accepted with the two polling headers ARM sends for asynchronous operations. */
  private acceptAt(subscriptionId: string, location: string, failure: ArmError | undefined, apply: () => void, withLocation: boolean): Answer {
    const id = randomUUID();
    this.operations.set(id, { id, polls: 0, failure, apply, done: false });
    const open = [...this.operations.values()].filter((operation) => !operation.done).length;
    this.maxOpenOperations = Math.max(this.maxOpenOperations, open);
    const base = `${this.endpoint}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/${location}`;
    return {
      status: 202,
      headers: {
        "azure-asyncoperation": `${base}/operations/${id}?api-version=2026-03-01`,
        ...(withLocation ? { location: `${base}/operationResults/${id}?api-version=2026-03-01` } : {}),
      },
    };
  }

  private operationStatus(id: string, asResult: boolean): Answer {
    const operation = this.operations.get(id);
    if (!operation) return notFound("operations", id, "");
    if (!operation.done) {
      operation.polls += 1;
      if (operation.polls > this.operationPolls) {
        operation.done = true;
        operation.apply();
      }
    }
    if (asResult) return operation.done ? { status: 200 } : { status: 202 };
    if (!operation.done) return ok({ name: id, status: "InProgress", startTime: new Date().toISOString() });
    return operation.failure
      ? ok({ name: id, status: "Failed", error: operation.failure })
      : ok({ name: id, status: "Succeeded", endTime: new Date().toISOString() });
  }

  private diskId(vm: FakeVm, diskName: string): string {
    return `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/disks/${diskName}`;
  }

  private instanceView(vm: FakeVm) {
    return {
      statuses: [
        { code: "ProvisioningState/succeeded", level: "Info", displayStatus: "Provisioning succeeded" },
        ...vm.extraStatuses,
        { code: `PowerState/${vm.power}`, level: "Info", displayStatus: POWER_WORDS[vm.power] },
      ],
    };
  }

  private vmJson(vm: FakeVm, withInstanceView: boolean) {
    return {
      id: vmId(vm),
      name: vm.name,
      type: "Microsoft.Compute/virtualMachines",
      location: vm.location,
      tags: vm.tags,
      properties: {
        vmId: randomUUID(),
        hardwareProfile: { vmSize: vm.vmSize },
        storageProfile: {
          osDisk: { osType: "Linux", name: vm.osDiskName, createOption: "FromImage", managedDisk: { id: this.diskId(vm, vm.osDiskName) } },
        },
        provisioningState: "Succeeded",
        ...(withInstanceView ? { instanceView: this.instanceView(vm) } : {}),
      },
    };
  }
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function notFound(type: string, name: string, resourceGroup: string): Answer {
  return { status: 404, body: { error: { code: "ResourceNotFound", message: `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found.` } } };
}

export function vmId(vm: Pick<FakeVm, "subscriptionId" | "resourceGroup" | "name">): string {
  return `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;
}

function snapshotJson(snapshot: FakeSnapshot) {
  return {
    id: snapshot.id,
    name: snapshot.name,
    type: "Microsoft.Compute/snapshots",
    location: snapshot.location,
    tags: snapshot.tags,
    properties: {
      creationData: { createOption: "Copy", sourceResourceId: snapshot.sourceResourceId },
      incremental: true,
      diskSizeGB: 30,
      timeCreated: snapshot.timeCreated,
      provisioningState: snapshot.provisioningState,
    },
  };
}

function diskJson(disk: FakeDisk) {
  return {
    id: disk.id,
    name: disk.name,
    type: "Microsoft.Compute/disks",
    location: "westeurope",
    properties: { creationData: { createOption: "Copy", sourceResourceId: disk.sourceResourceId }, diskSizeGB: 30, provisioningState: disk.provisioningState },
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}
