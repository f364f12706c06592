// Reliability: the clouds fail 5% of transitions at random and throttle 5% of calls while 500 VMs are
// started, stopped and rebooted. Every VM ends in a correct terminal state with the reason on record, the
// operations settle, every claim is released, and each VM has exactly one intent and one outcome audited.
//
// 500 VMs go as three concurrent batches (200 + 200 + 100): MAX_BATCH_SIZE (200) is the product's limit for
// one request and stays as it is; three batches at once load the same cloud and database harder than one.
import { expect, it } from "vitest";
import { MAX_BATCH_SIZE } from "../../../src/services/vm-action-service.js";
import type { VmAction } from "../../../src/services/vm-actions.js";
import type { ProviderKind } from "../../../src/providers/cloud-provider.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildFixture } from "../../support/fixtures.js";

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const AUDITED_AS: Record<VmAction, string> = { start: "vm_start", stop: "vm_stop", reboot: "reboot" };
const KINDS: ProviderKind[] = ["aws", "gcp", "simulator"];
const BATCHES: { action: VmAction; count: number; from: "running" | "stopped"; target: "running" | "stopped" }[] = [
  { action: "start", count: 200, from: "stopped", target: "running" },
  { action: "stop", count: 200, from: "running", target: "stopped" },
  { action: "reboot", count: 100, from: "running", target: "running" },
];

describeEachDatabase("Reliability: provider faults during a batch of 500", (t) => {
  it("ends every VM in a correct terminal state with the reason recorded, settles, releases claims, audits once", { timeout: 120_000 }, async () => {
    expect(BATCHES.every((batch) => batch.count <= MAX_BATCH_SIZE)).toBe(true);
    const seed = Number(process.env.FAULT_SEED ?? 20261130);
    const fixture = buildFixture(t.db, { latencyMs: 5, failureRate: 0.05, throttleRate: 0.05, random: seededRandom(seed) });
    const operator = await fixture.addUser("U0OPS", "operator");

    const names = new Map<VmAction, string[]>();
    const startedAs = new Map<string, { action: VmAction; from: string; target: string }>();
    const plan = BATCHES.flatMap((batch) => Array.from({ length: batch.count }, (_, n) => ({ ...batch, name: `${batch.action}-${String(n).padStart(3, "0")}` })));
    for (const vm of plan) {
      names.set(vm.action, [...(names.get(vm.action) ?? []), vm.name]);
      startedAs.set(vm.name, { action: vm.action, from: vm.from, target: vm.target });
    }
    for (let offset = 0; offset < plan.length; offset += 25) {
      await Promise.all(plan.slice(offset, offset + 25).map((vm, n) => fixture.addVm(vm.name, { status: vm.from, provider: KINDS[(offset + n) % KINDS.length] })));
    }

    const requests = await Promise.all(BATCHES.map((batch) => fixture.services.vmActions.requestVmAction(fixture.as(operator), batch.action, { names: names.get(batch.action)! })));
    const finals = await Promise.all(requests.map((request) => fixture.services.vmActions.trackOperation(request.operationId, { pollIntervalMs: 10 })));

    // The operations settled, and their summaries add up.
    for (const final of finals) {
      expect(["succeeded", "partial", "failed"]).toContain(final.status);
      expect(final.inFlight).toBe(0);
      expect(final.atTarget + final.failed).toBe(final.total);
    }
    const operations = await t.db.prisma.operationExecution.findMany();
    expect(operations).toHaveLength(3);
    expect(operations.every((operation) => operation.finishedAt !== null)).toBe(true);

    const vms = await t.db.prisma.vm.findMany({ include: { operationVms: true } });
    expect(vms).toHaveLength(500);
    const vmsByName = new Map(vms.map((vm) => [vm.name, vm]));
    const failedNames: string[] = [];
    for (const vm of vms) {
      const expected = startedAs.get(vm.name)!;
      // Claims released: nothing holds any VM any more.
      expect(vm.claimAction, vm.name).toBeNull();
      expect(vm.claimOperationId, vm.name).toBeNull();
      expect(vm.operationVms, vm.name).toHaveLength(1);
      const [operationVm] = vm.operationVms;
      if (operationVm!.status === "succeeded") {
        expect(vm.status, vm.name).toBe(expected.target);
      } else {
        // Failed: the reason is on the operation's row and, if the VM was left in error, on the VM too.
        expect(operationVm!.status, vm.name).toBe("failed");
        expect(operationVm!.message, vm.name).toBeTruthy();
        expect(["error", expected.from], vm.name).toContain(vm.status);
        if (vm.status === "error") expect(vm.statusMessage, vm.name).toBe(operationVm!.message);
        failedNames.push(vm.name);
      }
      expect(operationVm!.finishedAt, vm.name).not.toBeNull();
    }
    // 5% failures and 5% throttling over 500 VMs: some fail, most do not (the seed makes this stable).
    expect(failedNames.length).toBeGreaterThan(0);
    expect(failedNames.length).toBeLessThan(100);
    expect(finals.reduce((sum, final) => sum + final.failed, 0)).toBe(failedNames.length);

    // Each VM: its intent once, then its outcome once. A transition the cloud accepted and then failed is
    // audited in both phases (the request succeeded, the completion failed), as for any single action.
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: { in: Object.values(AUDITED_AS) } }, orderBy: { id: "asc" } });
    const byVm = new Map<string, typeof audit>();
    for (const entry of audit) byVm.set(entry.vmName!, [...(byVm.get(entry.vmName!) ?? []), entry]);
    expect(byVm.size).toBe(500);
    const phasesOfFailures = new Set<string>();
    for (const [name, entries] of byVm) {
      const outcomes = entries.map((entry) => entry.outcome);
      if (!failedNames.includes(name)) {
        expect(outcomes, name).toEqual(["initiated", "succeeded"]);
        continue;
      }
      const failure = entries.at(-1)!;
      const phase = (failure.details as { phase?: string } | null)?.phase ?? "request";
      phasesOfFailures.add(phase);
      expect(outcomes, name).toEqual(phase === "completion" ? ["initiated", "succeeded", "failed"] : ["initiated", "failed"]);
      expect(JSON.stringify(failure.details), name).toContain(JSON.stringify(vmsByName.get(name)!.operationVms[0]!.message).slice(1, -1));
    }
    expect(audit.every((entry) => entry.action === AUDITED_AS[startedAs.get(entry.vmName!)!.action])).toBe(true);
  });
});
