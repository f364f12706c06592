// The state sync: reads every VM's state from its cloud in batches (one describeInstances call per provider and
// region, chunked), writes what it finds, and marks drift: a VM whose cloud state differs from what the bot
// last knew while no work of the bot is in flight on it. Each VM's change, its history row, its audit row and
// its notifications are written in one transaction, conditional on the VM being as it was read (so a claim
// taken meanwhile wins and the sync leaves that VM for the next run).
import { CloudProviderError, InstanceNotFoundError, type CloudInstance, type ProviderKind, type ProviderRegistry } from "../../providers/cloud-provider.js";
import type { AuditService } from "../audit-service.js";
import type { NotificationService } from "../notifications/notification-service.js";
import type { Db, PrismaClient } from "../prisma-types.js";
import type { VmStatus } from "../vm-query.js";
import { errorStatusMessage } from "../vm-state.js";
import { driftNotices, driftRecipients, type DriftedVm } from "./drift-notice.js";
import { isDrift, settledState } from "./drift-rules.js";

/** Ids per describeInstances call: the adapters split further where their API needs it (EC2: 200 per filter). */
export const SYNC_BATCH = 1000;

export const SYNC_VM_SELECT = {
  id: true,
  name: true,
  status: true,
  provider: true,
  region: true,
  providerResourceId: true,
  providerState: true,
  claimAction: true,
  driftDetected: true,
  driftDetectedAt: true,
  driftExpectedStatus: true,
  driftIgnored: true,
  group: { select: { environment: { select: { id: true, name: true } } } },
} as const;

interface SyncedVm {
  id: number;
  name: string;
  status: VmStatus;
  provider: ProviderKind;
  region: string;
  providerResourceId: string;
  providerState: string | null;
  claimAction: string | null;
  driftDetected: boolean;
  driftDetectedAt: Date | null;
  driftExpectedStatus: VmStatus | null;
  driftIgnored: boolean;
  group: { environment: { id: number; name: string } } | null;
}

export interface SyncResult {
  /** VMs whose cloud state was read. */
  vms: number;
  /** describeInstances calls made (one per provider and region batch). */
  providerCalls: number;
  /** VMs found drifted in this run (new episodes). */
  drifted: number;
  /** VMs the provider no longer knows, now `unknown`. */
  gone: number;
  /** VMs whose status changed without drift (a transition settled, a state learnt). */
  updated: number;
  /** VMs whose drift ended because the cloud came back to what the bot knew. */
  backInLine: number;
  /** Batches (or machines) the cloud would not describe: left as they were. */
  failures: { provider: ProviderKind; region: string; code: string; message: string; vms: number }[];
  /** Drift episodes opened in this run (for DRIFT_POLICY=correct). */
  newDrift: number[];
}

export function createStateSync(deps: { prisma: PrismaClient; providers: ProviderRegistry; audit: AuditService; notifications: Pick<NotificationService, "notify" | "resolve" | "deliverDue">; now: () => Date }) {
  const { prisma, providers, audit, notifications, now } = deps;

  async function syncAll(): Promise<SyncResult> {
    const result: SyncResult = { vms: 0, providerCalls: 0, drifted: 0, gone: 0, updated: 0, backInLine: 0, failures: [], newDrift: [] };
    // Work in flight belongs to its operation: the tracker writes what the cloud says about it.
    const vms = (await prisma.vm.findMany({ where: { claimAction: null }, select: SYNC_VM_SELECT, orderBy: { id: "asc" } })) as SyncedVm[];
    const recipients = new Map<number | null, Promise<number[]>>();
    const recipientsOf = (environmentId: number | null, at: Date) => {
      if (!recipients.has(environmentId)) recipients.set(environmentId, driftRecipients(prisma, environmentId, at));
      return recipients.get(environmentId)!;
    };
    for (const batch of batchesOf(vms)) {
      const { provider, region } = batch[0]!;
      result.providerCalls++;
      let answers: (CloudInstance | CloudProviderError)[];
      try {
        answers = await providers.get(provider).describeInstances(batch.map((vm) => vm.providerResourceId));
      } catch (error) {
        const failure = error instanceof CloudProviderError ? error : new CloudProviderError(provider, "Unexpected", String((error as Error)?.message ?? error));
        result.failures.push({ provider, region, code: failure.code, message: failure.message, vms: batch.length });
        continue;
      }
      const at = now();
      const unchanged = new Map<string, number[]>();
      for (const [index, vm] of batch.entries()) {
        const answer = answers[index];
        if (answer instanceof InstanceNotFoundError) {
          result.vms++;
          if (await markGone(vm, at)) result.gone++;
          continue;
        }
        if (!answer || answer instanceof CloudProviderError) {
          result.failures.push({ provider, region, code: answer?.code ?? "NoAnswer", message: answer?.message ?? "The provider gave no answer for this machine", vms: 1 });
          continue;
        }
        result.vms++;
        if (answer.state === vm.status) {
          unchanged.set(answer.providerState, [...(unchanged.get(answer.providerState) ?? []), vm.id]);
          continue;
        }
        const outcome = await recordChange(vm, answer, at, recipientsOf);
        if (outcome === "drift") {
          result.drifted++;
          result.newDrift.push(vm.id);
        } else if (outcome === "back") result.backInLine++;
        else if (outcome === "updated") result.updated++;
      }
      // Nothing changed: one update per provider word, not one per VM.
      for (const [providerState, ids] of unchanged) {
        await prisma.vm.updateMany({ where: { id: { in: ids }, claimAction: null }, data: { providerState, lastSyncedAt: at } });
      }
    }
    // The notices were written inside their transactions; deliver them now that every one has committed
    // (notify's own early kick may have run before the commit).
    if (result.drifted) void notifications.deliverDue().catch(() => undefined);
    return result;
  }

  /** One VM whose cloud state differs from its status: drift, drift ended, or just news. */
  async function recordChange(vm: SyncedVm, instance: CloudInstance, at: Date, recipientsOf: (environmentId: number | null, at: Date) => Promise<number[]>): Promise<"drift" | "back" | "updated" | "skipped"> {
    const observed = instance.state as VmStatus;
    const environment = vm.group?.environment ?? null;
    const expected = vm.driftDetected ? (vm.driftExpectedStatus ?? vm.status) : vm.status;
    const opens = !vm.driftIgnored && !vm.driftDetected && isDrift(vm.status, instance.state);
    const ends = vm.driftDetected && settledState(expected) === settledState(observed);
    const statusMessage = observed === "error" ? errorStatusMessage(vm.provider, instance.stateMessage) : null;
    const recipients = opens ? await recipientsOf(environment?.id ?? null, at) : [];
    const applied = await prisma.$transaction(async (tx) => {
      const drift = opens ? { driftDetected: true, driftDetectedAt: at, driftExpectedStatus: expected } : ends ? { driftDetected: false, driftDetectedAt: null, driftExpectedStatus: null } : {};
      // As read, and still free: otherwise someone acted meanwhile and the next run sees the result.
      const { count } = await tx.vm.updateMany({
        where: { id: vm.id, status: vm.status, claimAction: null, driftDetected: vm.driftDetected },
        data: { status: observed, statusMessage, providerState: instance.providerState, lastSyncedAt: at, ...drift },
      });
      if (count === 0) return false;
      await history(tx, vm.id, vm.status, observed, opens ? `changed outside the bot (cloud: ${instance.providerState})` : `cloud reports ${instance.providerState}`, at);
      if (opens || ends) {
        await audit.record(
          {
            actor: null,
            source: "schedule",
            action: "state_drift_detected",
            outcome: "succeeded",
            vmId: vm.id,
            vmName: vm.name,
            environmentId: environment?.id ?? null,
            at,
            details: { expected, observed, providerState: instance.providerState, ...(ends ? { ended: "the cloud is back where the bot knew it" } : {}) },
          },
          tx,
        );
      }
      if (opens) {
        await notifications.notify(driftNotices({ id: vm.id, name: vm.name, provider: vm.provider, environment } satisfies DriftedVm, { expected, observed, providerState: instance.providerState, detectedAt: at }, recipients), tx);
      }
      return true;
    });
    if (!applied) return "skipped";
    if (ends) {
      await notifications.resolve(`drift:${vm.id}:`, `The cloud shows ${vm.name} ${observed} again, as the bot knew it: nothing to do.`);
      return "back";
    }
    return opens ? "drift" : "updated";
  }

  /** The cloud no longer knows the machine: `unknown`, audited, so nobody acts on a VM that is gone. */
  async function markGone(vm: SyncedVm, at: Date): Promise<boolean> {
    if (vm.status === "unknown") {
      await prisma.vm.updateMany({ where: { id: vm.id, claimAction: null }, data: { lastSyncedAt: at, providerState: null } });
      return false;
    }
    return prisma.$transaction(async (tx) => {
      const { count } = await tx.vm.updateMany({
        where: { id: vm.id, status: vm.status, claimAction: null },
        data: { status: "unknown", statusMessage: "The provider no longer knows this machine (deleted or moved outside the bot?)", providerState: null, lastSyncedAt: at },
      });
      if (count === 0) return false;
      await history(tx, vm.id, vm.status, "unknown", "the provider no longer knows this machine", at);
      await audit.record(
        { actor: null, source: "schedule", action: "state_drift_detected", outcome: "succeeded", vmId: vm.id, vmName: vm.name, environmentId: vm.group?.environment.id ?? null, at, details: { expected: vm.status, observed: "not_found" } },
        tx,
      );
      return true;
    });
  }

  return { syncAll };
}

function history(db: Db, vmId: number, from: VmStatus, to: VmStatus, reason: string, at: Date) {
  return db.vmStateHistory.create({ data: { vmId, fromStatus: from, toStatus: to, reason, at, source: "state_sync" } });
}

/** VMs grouped by provider and region, each group cut into SYNC_BATCH-sized calls. */
function batchesOf(vms: SyncedVm[]): SyncedVm[][] {
  const groups = new Map<string, SyncedVm[]>();
  for (const vm of vms) {
    const key = `${vm.provider}\u0000${vm.region}`;
    const group = groups.get(key);
    if (group) group.push(vm);
    else groups.set(key, [vm]);
  }
  return [...groups.values()].flatMap((group) => {
    const batches: SyncedVm[][] = [];
    for (let start = 0; start < group.length; start += SYNC_BATCH) batches.push(group.slice(start, start + SYNC_BATCH));
    return batches;
  });
}
