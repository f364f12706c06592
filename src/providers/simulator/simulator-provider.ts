// A cloud that lives in the bot's own database: machines start, stop, reboot and snapshot with
// realistic latency, fail and throttle on demand, and speak the vocabulary of the provider kind they
// stand in for. Used in demo mode (one per kind) and by tests; state changes settle lazily on read.
import type { PrismaClient } from "../../db/database.js";
import {
  CloudProviderError,
  InstanceNotFoundError,
  type BatchResult,
  type CloudInstance,
  type CloudProvider,
  type PowerAction,
  type CloudSnapshot,
  type InstanceDetails,
  type InstanceState,
  type ProviderKind,
  type WaitOptions,
} from "../cloud-provider.js";
import { powerEach } from "../per-instance-batch.js";
import { flavourOf } from "./flavours/index.js";
import {
  loadAllInstances,
  loadInstance,
  machineOf,
  settleInstance,
  storedDetailsJson,
  toCloudInstance,
  updateStoredDetails,
  type InstanceRow,
} from "./instance-records.js";
import { pollForState, realSleep, type Sleep } from "../wait-until.js";
import type { RandomSource } from "./random-ids.js";
import {
  incorrectInstanceState,
  planFailure,
  throttle,
  transitionEnd,
  type SimulatorContext,
} from "./simulator-context.js";
import { asSimulatedState, canSnapshot, planOperation, type FaultOperation, type InstanceOperation, type SettledState } from "./simulated-state.js";
import { loadSnapshot, loadSnapshotsOf, toCloudSnapshot } from "./snapshot-records.js";
import { diskSizeGb, readStoredDetails, type FaultTable } from "./stored-details.js";

export interface SimulatorProviderOptions {
  prisma: PrismaClient;
  /** The provider this simulator stands in for; stored on each machine and filters every query. */
  kind?: ProviderKind;
  latencyMs: number;
  jitterMs: number;
  /** Probability (0..1) that a transition ends in `error`. */
  failureRate: number;
  /** Probability (0..1) that any API call throws ThrottledError. */
  throttleRate: number;
  random?: RandomSource;
  now?: () => Date;
  /** Default poll interval of waitForState. */
  pollIntervalMs?: number;
  /** How waitForState waits between polls; tests pass one that advances their clock. */
  sleep?: Sleep;
}

export interface RegisterInstanceInput {
  /** Generated in the kind's format when omitted. */
  resourceId?: string;
  name: string;
  region: string;
  state: SettledState;
  /** Why the machine is in `error`; defaults to the provider's start-failure message. */
  stateMessage?: string;
  tags?: Record<string, string>;
  details?: InstanceDetails;
  faults?: FaultTable;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

export class SimulatorProvider implements CloudProvider {
  readonly kind: ProviderKind;
  private readonly context: SimulatorContext;
  private readonly pollIntervalMs: number;
  private readonly sleep: Sleep;

  constructor(options: SimulatorProviderOptions) {
    this.kind = options.kind ?? "simulator";
    this.context = {
      prisma: options.prisma,
      kind: this.kind,
      flavour: flavourOf(this.kind),
      timing: {
        latencyMs: options.latencyMs,
        jitterMs: options.jitterMs,
        failureRate: options.failureRate,
        throttleRate: options.throttleRate,
      },
      random: options.random ?? Math.random,
      now: options.now ?? (() => new Date()),
    };
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.sleep = options.sleep ?? realSleep;
  }

  // ---- simulator controls (seed, tests, demo) -------------------------------------------------

  async registerInstance(input: RegisterInstanceInput): Promise<CloudInstance> {
    const { flavour, random } = this.context;
    const resourceId = input.resourceId ?? flavour.instanceId(input.name, input.region, random);
    const machine = { resourceId, name: input.name, region: input.region };
    const consoleUrl = input.details?.consoleUrl ?? flavour.consoleUrl(machine);
    const details = consoleUrl ? { ...input.details, consoleUrl } : { ...input.details };
    const row = await this.context.prisma.simulatedInstance.create({
      data: {
        ...machine,
        provider: this.kind,
        state: input.state,
        stateMessage: input.state === "error" ? (input.stateMessage ?? flavour.failureMessage("start", machine)) : null,
        details: storedDetailsJson({ details, tags: input.tags ?? {}, faults: input.faults ?? {} }),
      },
    });
    return toCloudInstance(this.context, row);
  }

  /** Makes `operation` on this machine fail with `message`: every time, or only the next attempt. */
  async injectFault(resourceId: string, operation: FaultOperation, message: string, { once = false } = {}): Promise<void> {
    await loadInstance(this.context, resourceId);
    await updateStoredDetails(this.context, resourceId, (stored) => ({
      ...stored,
      faults: { ...stored.faults, [operation]: once ? { message, once } : message },
    }));
  }

  /** Removes one injected fault, or all of them. */
  async clearFaults(resourceId: string, operation?: FaultOperation): Promise<void> {
    await loadInstance(this.context, resourceId);
    await updateStoredDetails(this.context, resourceId, (stored) => {
      if (!operation) return { ...stored, faults: {} };
      const { [operation]: _cleared, ...faults } = stored.faults;
      return { ...stored, faults };
    });
  }

  // ---- instances ---------------------------------------------------------------------------

  async listInstances(): Promise<CloudInstance[]> {
    throttle(this.context);
    const rows = await loadAllInstances(this.context);
    return rows.map((row) => toCloudInstance(this.context, row));
  }

  async describeInstance(resourceId: string): Promise<CloudInstance> {
    throttle(this.context);
    return toCloudInstance(this.context, await loadInstance(this.context, resourceId));
  }

  /** One query for the whole batch (the cloud's single list call); a machine it does not hold answers NotFound. */
  async describeInstances(resourceIds: string[]): Promise<(CloudInstance | CloudProviderError)[]> {
    throttle(this.context);
    const rows = await this.context.prisma.simulatedInstance.findMany({ where: { provider: this.kind, resourceId: { in: resourceIds } } });
    const settled = new Map((await Promise.all(rows.map((row) => settleInstance(this.context, row)))).map((row) => [row.resourceId, row]));
    return resourceIds.map((resourceId) => {
      const row = settled.get(resourceId);
      return row ? toCloudInstance(this.context, row) : new InstanceNotFoundError(this.kind, resourceId);
    });
  }

  powerInstances(action: PowerAction, resourceIds: string[]): Promise<BatchResult[]> {
    return powerEach(this, action, resourceIds);
  }

  startInstance(resourceId: string): Promise<void> {
    return this.beginTransition(resourceId, "start");
  }

  stopInstance(resourceId: string): Promise<void> {
    return this.beginTransition(resourceId, "stop");
  }

  rebootInstance(resourceId: string): Promise<void> {
    return this.beginTransition(resourceId, "reboot");
  }

  waitForState(resourceId: string, target: InstanceState, options: WaitOptions = {}): Promise<CloudInstance> {
    return pollForState(
      this,
      resourceId,
      target,
      { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS, pollIntervalMs: options.pollIntervalMs ?? this.pollIntervalMs },
      { now: this.context.now, sleep: this.sleep },
    );
  }

  private async beginTransition(resourceId: string, operation: InstanceOperation): Promise<void> {
    throttle(this.context);
    const row = await loadInstance(this.context, resourceId);
    const plan = planOperation(operation, row.state);
    if (plan.kind === "noop") return;
    if (plan.kind === "refuse" || (operation === "start" && (await this.restoreUnderWay(resourceId)))) {
      throw incorrectInstanceState(this.context, operation, machineOf(row), asSimulatedState(row.state));
    }
    const failure = this.planFailureFor(operation, row);
    await this.context.prisma.simulatedInstance.update({
      where: { resourceId },
      data: {
        state: plan.via,
        targetState: failure ? "error" : plan.to,
        transitionEndsAt: transitionEnd(this.context),
        stateMessage: failure?.message ?? null,
        ...(failure?.remainingFaults && { details: this.detailsWithFaults(row, failure.remainingFaults) }),
      },
    });
  }

  // ---- snapshots ---------------------------------------------------------------------------

  async createSnapshot(resourceId: string, name: string): Promise<CloudSnapshot> {
    throttle(this.context);
    const instance = await loadInstance(this.context, resourceId);
    if (!canSnapshot(instance.state) || instance.targetState || (await this.restoreUnderWay(resourceId))) {
      throw incorrectInstanceState(this.context, "snapshot", machineOf(instance), asSimulatedState(instance.state));
    }
    const { details } = readStoredDetails(instance.details);
    const row = await this.context.prisma.simulatedSnapshot.create({
      data: {
        snapshotId: this.context.flavour.snapshotId(name, instance.region, this.context.random),
        resourceId,
        name,
        state: "creating",
        sizeGb: diskSizeGb(details),
        transitionEndsAt: transitionEnd(this.context),
        createdAt: this.context.now(),
      },
    });
    return toCloudSnapshot(row);
  }

  async listSnapshots(resourceId: string): Promise<CloudSnapshot[]> {
    throttle(this.context);
    await loadInstance(this.context, resourceId);
    return (await loadSnapshotsOf(this.context, resourceId)).map(toCloudSnapshot);
  }

  async describeSnapshot(snapshotId: string): Promise<CloudSnapshot> {
    throttle(this.context);
    return toCloudSnapshot(await loadSnapshot(this.context, snapshotId));
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    throttle(this.context);
    const snapshot = await loadSnapshot(this.context, snapshotId);
    if (snapshot.state === "deleting") return;
    if (snapshot.state === "creating" || snapshot.state === "restoring") throw this.incorrectSnapshotState(snapshotId, snapshot.state, "deleted");
    await this.context.prisma.simulatedSnapshot.update({
      where: { snapshotId },
      data: { state: "deleting", transitionEndsAt: transitionEnd(this.context) },
    });
  }

  /**
   * The snapshot goes `restoring` -> `available`. A failed restore is planned now: when the restore
   * completes the snapshot reads `error` (so whoever polls it learns of the failure) and the instance
   * goes stopped -> error with the provider's message.
   */
  async restoreSnapshot(resourceId: string, snapshotId: string): Promise<void> {
    throttle(this.context);
    const instance = await loadInstance(this.context, resourceId);
    const snapshot = await loadSnapshot(this.context, snapshotId);
    if (snapshot.resourceId !== resourceId) {
      throw new CloudProviderError(this.kind, "InvalidParameterValue", `Snapshot ${snapshotId} was not taken from instance ${resourceId}`);
    }
    if (snapshot.state !== "available") throw this.incorrectSnapshotState(snapshotId, snapshot.state, "restored");
    if (instance.state !== "stopped" || instance.targetState) {
      throw incorrectInstanceState(this.context, "restore", machineOf(instance), asSimulatedState(instance.state));
    }
    const endsAt = transitionEnd(this.context);
    const failure = this.planFailureFor("restore", instance);
    await this.context.prisma.$transaction([
      this.context.prisma.simulatedSnapshot.update({ where: { snapshotId }, data: { state: "restoring", transitionEndsAt: endsAt } }),
      ...(failure
        ? [
            this.context.prisma.simulatedInstance.update({
              where: { resourceId },
              data: {
                targetState: "error",
                transitionEndsAt: endsAt,
                stateMessage: failure.message,
                ...(failure.remainingFaults && { details: this.detailsWithFaults(instance, failure.remainingFaults) }),
              },
            }),
          ]
        : []),
    ]);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private planFailureFor(operation: FaultOperation, row: InstanceRow) {
    return planFailure(this.context, operation, machineOf(row), readStoredDetails(row.details).faults);
  }

  private detailsWithFaults(row: InstanceRow, faults: FaultTable) {
    return storedDetailsJson({ ...readStoredDetails(row.details), faults });
  }

  /** A machine whose disks are being restored cannot be started or snapshotted. */
  private async restoreUnderWay(resourceId: string): Promise<boolean> {
    const snapshots = await loadSnapshotsOf(this.context, resourceId);
    return snapshots.some((snapshot) => snapshot.state === "restoring");
  }

  private incorrectSnapshotState(snapshotId: string, state: string, verb: string): CloudProviderError {
    return new CloudProviderError(this.kind, "IncorrectSnapshotState", `Snapshot ${snapshotId} is ${state} and cannot be ${verb} now`);
  }
}
