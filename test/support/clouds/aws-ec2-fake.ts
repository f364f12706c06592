// A small EC2 on 127.0.0.1 that answers the Query API the way EC2 does (form-encoded requests, XML
// answers, <Response><Errors><Error> failures), keeps instances, volumes, snapshots and root-volume
// replacement tasks, and can be told to throttle or fail. The region of each call is read from its
// SigV4 credential scope, as EC2's regional endpoints would know it. Every call is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Ec2State = "pending" | "running" | "stopping" | "stopped" | "shutting-down" | "terminated";

export interface FakeInstance {
  id: string;
  region: string;
  state: Ec2State;
  tags: Record<string, string>;
  instanceType: string;
  rootVolumeId: string;
  stateReason?: { code: string; message: string };
  /** Starting goes pending -> stopped with Client.InvalidKMSKey.InvalidState (a KMS key the role cannot use). */
  kmsBroken?: boolean;
  /** Where a transition ends and after how many more descriptions it gets there. */
  settle?: { to: Ec2State; afterDescribes: number; reason?: { code: string; message: string } };
}

export interface FakeSnapshot {
  id: string;
  region: string;
  volumeId: string;
  state: "pending" | "completed" | "error";
  tags: Record<string, string>;
  description: string;
  startTime: Date;
  describesUntilCompleted: number;
}

export interface FakeReplaceTask {
  id: string;
  region: string;
  instanceId: string;
  snapshotId: string;
  state: "pending" | "in-progress" | "succeeded" | "failed";
  describesUntilDone: number;
  fails: boolean;
}

export interface RecordedEc2Call {
  action: string;
  region: string;
  /** The access key id the SDK signed the call with (from its SigV4 credential scope). */
  accessKeyId: string;
  params: Record<string, string>;
  /** Values of list parameters such as InstanceId.1, InstanceId.2. */
  list(name: string): string[];
  /** The error code the fake answered with, if it failed the call. */
  errorCode?: string;
}

interface InjectedFault {
  action: string;
  code: string;
  message: string;
  status: number;
  remaining: number;
}

export interface Ec2BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface AwsEc2FakeOptions {
  accountId?: string;
  /** Descriptions a pending/stopping instance shows before it settles. */
  settleAfterDescribes?: number;
  /**
   * EC2's request buckets, emulated: a call that finds its bucket empty answers RequestLimitExceeded.
   * Key is an action name or "mutating"/"nonMutating"; instance buckets are keyed "<Action>:instances".
   */
  buckets?: Record<string, Ec2BucketSpec>;
  now?: () => number;
}

const NON_MUTATING = /^Describe/;

export class AwsEc2Fake {
  readonly accountId: string;
  readonly instances = new Map<string, FakeInstance>();
  readonly snapshots = new Map<string, FakeSnapshot>();
  readonly tasks = new Map<string, FakeReplaceTask>();
  readonly calls: RecordedEc2Call[] = [];
  /** Requests received and not yet answered. */
  inFlight = 0;
  private readonly faults: InjectedFault[] = [];
  private readonly settleAfterDescribes: number;
  private readonly buckets = new Map<string, { tokens: number; at: number; spec: Ec2BucketSpec }>();
  private server?: Server;
  private nextId = 1;

  constructor(private readonly options: AwsEc2FakeOptions = {}) {
    this.accountId = options.accountId ?? "123456789012";
    this.settleAfterDescribes = options.settleAfterDescribes ?? 1;
  }

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

  // ---- set-up and fault injection -------------------------------------------------------------

  addInstance(input: { region: string; name?: string; state?: Ec2State; tags?: Record<string, string>; kmsBroken?: boolean; instanceType?: string }): FakeInstance {
    const id = `i-${(this.nextId++).toString(16).padStart(17, "0")}`;
    const instance: FakeInstance = {
      id,
      region: input.region,
      state: input.state ?? "stopped",
      tags: { ...(input.name ? { Name: input.name } : {}), ...input.tags },
      instanceType: input.instanceType ?? "t3.micro",
      rootVolumeId: this.newVolumeId(),
      ...(input.state === "stopped" || !input.state ? { stateReason: { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" } } : {}),
      kmsBroken: input.kmsBroken,
    };
    this.instances.set(id, instance);
    return instance;
  }

  arnOf(instance: FakeInstance): string {
    return `arn:aws:ec2:${instance.region}:${this.accountId}:instance/${instance.id}`;
  }

  /** The next `times` calls of `action` fail with `code` (HTTP `status`). */
  failNext(action: string, code: string, message: string, { times = 1, status = 400 } = {}): void {
    this.faults.push({ action, code, message, status, remaining: times });
  }

  throttleNext(action: string, times = 1): void {
    this.failNext(action, "RequestLimitExceeded", "Request limit exceeded.", { times, status: 503 });
  }

  callsOf(action: string): RecordedEc2Call[] {
    return this.calls.filter((call) => call.action === action);
  }

  // ---- the wire -------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight += 1;
    response.once("finish", () => (this.inFlight -= 1));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const params = Object.fromEntries(form.entries());
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ec2\//.exec(String(request.headers.authorization ?? ""));
    const [accessKeyId, region] = [scope?.[1] ?? "", scope?.[2] ?? "unknown"];
    const action = params.Action ?? "";
    const list = (name: string) => listParam(params, name);
    const call: RecordedEc2Call = { action, region, accessKeyId, params, list };
    this.calls.push(call);

    const send = (status: number, body: string) => {
      if (status >= 400) call.errorCode = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
      response.writeHead(status, { "content-type": "text/xml;charset=UTF-8" });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
    };
    const fault = this.faults.find((candidate) => candidate.action === action && candidate.remaining > 0);
    if (fault) {
      fault.remaining -= 1;
      return send(fault.status, errorXml(fault.code, fault.message));
    }
    const throttled = this.takeTokens(region, action, list("InstanceId").length);
    if (throttled) return send(503, errorXml("RequestLimitExceeded", "Request limit exceeded."));
    try {
      const body = this.answer(action, region, params, list);
      send(200, `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId()}</requestId>${body}</${action}Response>`);
    } catch (error) {
      if (error instanceof Ec2Failure) return send(error.status, errorXml(error.code, error.message));
      send(500, errorXml("InternalError", String(error)));
    }
  }

  private answer(action: string, region: string, params: Record<string, string>, list: (name: string) => string[]): string {
    switch (action) {
      case "DescribeInstances":
        return this.describeInstances(region, params, list);
      case "StartInstances":
      case "StopInstances":
        return this.power(action, region, list("InstanceId"));
      case "RebootInstances":
        for (const instance of this.instancesIn(region, list("InstanceId"), "rebooted")) {
          if (instance.state !== "running") throw incorrectState(instance.id, "rebooted");
        }
        return "<return>true</return>";
      case "CreateSnapshot":
        return this.createSnapshot(region, params);
      case "DescribeSnapshots":
        return this.describeSnapshots(region, params, list);
      case "DeleteSnapshot": {
        const snapshot = this.snapshotIn(region, params.SnapshotId ?? "");
        this.snapshots.delete(snapshot.id);
        return "<return>true</return>";
      }
      case "CreateReplaceRootVolumeTask":
        return this.createReplaceTask(region, params);
      case "DescribeReplaceRootVolumeTasks":
        return this.describeReplaceTasks(region, list("ReplaceRootVolumeTaskId"));
      default:
        throw new Ec2Failure("InvalidAction", `The action ${action} is not valid for this web service.`);
    }
  }

  private describeInstances(region: string, params: Record<string, string>, list: (name: string) => string[]): string {
    const filters = readFilters(params);
    const ids = list("InstanceId");
    let matches = [...this.instances.values()].filter((instance) => instance.region === region && (!ids.length || ids.includes(instance.id)));
    for (const [name, values] of filters) {
      matches = matches.filter((instance) => {
        if (name === "instance-id") return values.includes(instance.id);
        if (name === "instance-state-name") return values.includes(instance.state);
        if (name.startsWith("tag:")) return values.includes(instance.tags[name.slice(4)] ?? "\u0000");
        throw new Ec2Failure("InvalidParameterValue", `The filter '${name}' is invalid`);
      });
    }
    const offset = Number(params.NextToken ?? 0);
    const pageSize = Number(params.MaxResults ?? 1000);
    if (params.MaxResults && (pageSize < 5 || pageSize > 1000)) throw new Ec2Failure("InvalidParameterValue", "MaxResults must be between 5 and 1000");
    const page = matches.slice(offset, offset + pageSize);
    for (const instance of page) this.progress(instance);
    const next = offset + pageSize < matches.length ? `<nextToken>${offset + pageSize}</nextToken>` : "";
    const reservations = page
      .map((instance) => `<item><reservationId>r-${instance.id.slice(2)}</reservationId><ownerId>${this.accountId}</ownerId><instancesSet>${instanceXml(instance)}</instancesSet></item>`)
      .join("");
    return `<reservationSet>${reservations}</reservationSet>${next}`;
  }

  private power(action: "StartInstances" | "StopInstances", region: string, ids: string[]): string {
    const verb = action === "StartInstances" ? "started" : "stopped";
    const instances = this.instancesIn(region, ids, verb);
    // EC2 checks the whole request first and names the first instance it cannot act on.
    for (const instance of instances) {
      const allowed = action === "StartInstances" ? ["stopped", "pending", "running"] : ["running", "pending", "stopping", "stopped"];
      if (!allowed.includes(instance.state)) throw incorrectState(instance.id, verb);
    }
    const items = instances.map((instance) => {
      const previous = instance.state;
      if (action === "StartInstances" && previous === "stopped") {
        instance.state = "pending";
        delete instance.stateReason;
        instance.settle = instance.kmsBroken
          ? { to: "stopped", afterDescribes: this.settleAfterDescribes, reason: { code: "Client.InvalidKMSKey.InvalidState", message: "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state" } }
          : { to: "running", afterDescribes: this.settleAfterDescribes };
      } else if (action === "StopInstances" && (previous === "running" || previous === "pending")) {
        instance.state = "stopping";
        instance.settle = { to: "stopped", afterDescribes: this.settleAfterDescribes, reason: { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" } };
      }
      return `<item><instanceId>${instance.id}</instanceId><currentState>${stateXml(instance.state)}</currentState><previousState>${stateXml(previous)}</previousState></item>`;
    });
    return `<instancesSet>${items.join("")}</instancesSet>`;
  }

  private createSnapshot(region: string, params: Record<string, string>): string {
    const volumeId = params.VolumeId ?? "";
    if (![...this.instances.values()].some((instance) => instance.region === region && instance.rootVolumeId === volumeId)) {
      throw new Ec2Failure("InvalidVolume.NotFound", `The volume '${volumeId}' does not exist.`);
    }
    const tags: Record<string, string> = {};
    for (let index = 1; params[`TagSpecification.1.Tag.${index}.Key`] !== undefined; index += 1) {
      tags[params[`TagSpecification.1.Tag.${index}.Key`]!] = params[`TagSpecification.1.Tag.${index}.Value`] ?? "";
    }
    const snapshot: FakeSnapshot = {
      id: `snap-${(this.nextId++).toString(16).padStart(17, "0")}`,
      region,
      volumeId,
      state: "pending",
      tags,
      description: params.Description ?? "",
      startTime: new Date(this.options.now?.() ?? Date.now()),
      describesUntilCompleted: 1,
    };
    this.snapshots.set(snapshot.id, snapshot);
    return snapshotFields(snapshot, this.accountId);
  }

  private describeSnapshots(region: string, params: Record<string, string>, list: (name: string) => string[]): string {
    const ids = list("SnapshotId");
    for (const id of ids) this.snapshotIn(region, id);
    let matches = [...this.snapshots.values()].filter((snapshot) => snapshot.region === region && (!ids.length || ids.includes(snapshot.id)));
    for (const [name, values] of readFilters(params)) {
      if (!name.startsWith("tag:")) throw new Ec2Failure("InvalidParameterValue", `The filter '${name}' is invalid`);
      matches = matches.filter((snapshot) => values.includes(snapshot.tags[name.slice(4)] ?? "\u0000"));
    }
    for (const snapshot of matches) {
      if (snapshot.state === "pending" && --snapshot.describesUntilCompleted < 0) snapshot.state = "completed";
    }
    return `<snapshotSet>${matches.map((snapshot) => `<item>${snapshotFields(snapshot, this.accountId)}</item>`).join("")}</snapshotSet>`;
  }

  /** Set before the task is created: the next replacement task ends `failed`. */
  failNextRestore = false;

  private createReplaceTask(region: string, params: Record<string, string>): string {
    const [instance] = this.instancesIn(region, [params.InstanceId ?? ""], "restored");
    if (instance!.state !== "running" && instance!.state !== "stopped") throw incorrectState(instance!.id, "restored");
    this.snapshotIn(region, params.SnapshotId ?? "");
    const task: FakeReplaceTask = {
      id: `replacevol-${(this.nextId++).toString(16).padStart(17, "0")}`,
      region,
      instanceId: instance!.id,
      snapshotId: params.SnapshotId ?? "",
      state: "pending",
      describesUntilDone: 2,
      fails: this.failNextRestore,
    };
    this.failNextRestore = false;
    this.tasks.set(task.id, task);
    return `<replaceRootVolumeTask>${taskFields(task)}</replaceRootVolumeTask>`;
  }

  private describeReplaceTasks(region: string, ids: string[]): string {
    const tasks = [...this.tasks.values()].filter((task) => task.region === region && (!ids.length || ids.includes(task.id)));
    for (const task of tasks) {
      if (task.state === "succeeded" || task.state === "failed") continue;
      task.describesUntilDone -= 1;
      if (task.describesUntilDone > 0) {
        task.state = "in-progress";
        continue;
      }
      task.state = task.fails ? "failed" : "succeeded";
      if (!task.fails) this.instances.get(task.instanceId)!.rootVolumeId = this.newVolumeId();
    }
    return `<replaceRootVolumeTaskSet>${tasks.map((task) => `<item>${taskFields(task)}</item>`).join("")}</replaceRootVolumeTaskSet>`;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private progress(instance: FakeInstance): void {
    if (!instance.settle) return;
    if (instance.settle.afterDescribes > 0) {
      instance.settle.afterDescribes -= 1;
      return;
    }
    instance.state = instance.settle.to;
    if (instance.settle.reason) instance.stateReason = instance.settle.reason;
    delete instance.settle;
  }

  private instancesIn(region: string, ids: string[], verb: string): FakeInstance[] {
    const missing = ids.filter((id) => this.instances.get(id)?.region !== region);
    if (missing.some((id) => !/^i-[0-9a-f]{8,17}$/.test(id))) throw new Ec2Failure("InvalidInstanceID.Malformed", `Invalid id: "${missing[0]}"`);
    if (missing.length) {
      throw new Ec2Failure("InvalidInstanceID.NotFound", `The instance ID${missing.length > 1 ? "s" : ""} '${missing.join(", ")}' do${missing.length > 1 ? "" : "es"} not exist`);
    }
    void verb;
    return ids.map((id) => this.instances.get(id)!);
  }

  private snapshotIn(region: string, id: string): FakeSnapshot {
    const snapshot = this.snapshots.get(id);
    if (!snapshot || snapshot.region !== region) throw new Ec2Failure("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist.`);
    return snapshot;
  }

  private newVolumeId(): string {
    return `vol-${(this.nextId++).toString(16).padStart(17, "0")}`;
  }

  /** Emulates EC2's token buckets when configured; returns true when the call is throttled. */
  private takeTokens(region: string, action: string, instanceCount: number): boolean {
    const specs = this.options.buckets;
    if (!specs) return false;
    const category = specs[action] ? action : NON_MUTATING.test(action) ? "nonMutating" : "mutating";
    const wanted: [string, number][] = [[category, 1]];
    if (specs[`${action}:instances`]) wanted.push([`${action}:instances`, instanceCount]);
    const now = this.options.now?.() ?? Date.now();
    const buckets = wanted.flatMap(([name, tokens]) => {
      const spec = specs[name];
      if (!spec) return [];
      const key = `${region}:${name}`;
      const bucket = this.buckets.get(key) ?? { tokens: spec.capacity, at: now, spec };
      bucket.tokens = Math.min(spec.capacity, bucket.tokens + ((now - bucket.at) / 1000) * spec.refillPerSecond);
      bucket.at = now;
      this.buckets.set(key, bucket);
      return [{ bucket, tokens }];
    });
    if (buckets.some(({ bucket, tokens }) => bucket.tokens < tokens)) return true;
    for (const { bucket, tokens } of buckets) bucket.tokens -= tokens;
    return false;
  }
}

class Ec2Failure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function incorrectState(instanceId: string, verb: string): Ec2Failure {
  return new Ec2Failure("IncorrectInstanceState", `The instance '${instanceId}' is not in a state from which it can be ${verb}.`);
}

const STATE_CODES: Record<Ec2State, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };

function stateXml(state: Ec2State): string {
  return `<code>${STATE_CODES[state]}</code><name>${state}</name>`;
}

function instanceXml(instance: FakeInstance): string {
  const tags = Object.entries(instance.tags).map(([key, value]) => `<item><key>${escape(key)}</key><value>${escape(value)}</value></item>`);
  const reason = instance.stateReason ? `<stateReason><code>${escape(instance.stateReason.code)}</code><message>${escape(instance.stateReason.message)}</message></stateReason>` : "";
  return (
    `<item><instanceId>${instance.id}</instanceId><imageId>ami-0123456789abcdef0</imageId>` +
    `<instanceState>${stateXml(instance.state)}</instanceState>${reason}` +
    `<instanceType>${instance.instanceType}</instanceType>` +
    `<placement><availabilityZone>${instance.region}a</availabilityZone></placement>` +
    `<privateIpAddress>10.0.0.${(parseInt(instance.id.slice(2), 16) % 250) + 1}</privateIpAddress>` +
    `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>` +
    `<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>${instance.rootVolumeId}</volumeId><status>attached</status><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>` +
    `<tagSet>${tags.join("")}</tagSet></item>`
  );
}

function snapshotFields(snapshot: FakeSnapshot, accountId: string): string {
  const tags = Object.entries(snapshot.tags).map(([key, value]) => `<item><key>${escape(key)}</key><value>${escape(value)}</value></item>`);
  return (
    `<snapshotId>${snapshot.id}</snapshotId><volumeId>${snapshot.volumeId}</volumeId><status>${snapshot.state}</status>` +
    `<startTime>${snapshot.startTime.toISOString()}</startTime><progress>${snapshot.state === "completed" ? "100%" : "0%"}</progress>` +
    `<ownerId>${accountId}</ownerId><volumeSize>8</volumeSize><description>${escape(snapshot.description)}</description>` +
    `<encrypted>false</encrypted><tagSet>${tags.join("")}</tagSet>`
  );
}

function taskFields(task: FakeReplaceTask): string {
  return `<replaceRootVolumeTaskId>${task.id}</replaceRootVolumeTaskId><instanceId>${task.instanceId}</instanceId><taskState>${task.state}</taskState><snapshotId>${task.snapshotId}</snapshotId><deleteReplacedRootVolume>false</deleteReplacedRootVolume>`;
}

function errorXml(code: string, message: string): string {
  return `<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`;
}

function readFilters(params: Record<string, string>): [string, string[]][] {
  const filters: [string, string[]][] = [];
  for (let index = 1; params[`Filter.${index}.Name`] !== undefined; index += 1) {
    filters.push([params[`Filter.${index}.Name`]!, listParam(params, `Filter.${index}.Value`)]);
  }
  return filters;
}

function listParam(params: Record<string, string>, name: string): string[] {
  const values: string[] = [];
  for (let index = 1; params[`${name}.${index}`] !== undefined; index += 1) values.push(params[`${name}.${index}`]!);
  return values;
}

function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function requestId(): string {
  return "00000000-0000-4000-8000-000000000000";
}
