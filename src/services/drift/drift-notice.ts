// Who hears about a drifted VM and what they read: the environment's admins (active admin grant and the
// env_admin flag), or the global admins for VMs in no environment (and for an environment with no admin yet).
import type { NotifyInput } from "../notifications/notification-service.js";
import type { Db } from "../prisma-types.js";
import type { VmStatus } from "../vm-query.js";
import { driftKey } from "./drift-rules.js";

export interface DriftedVm {
  id: number;
  name: string;
  provider: string;
  environment: { id: number; name: string } | null;
}

export async function driftRecipients(db: Db, environmentId: number | null, at: Date): Promise<number[]> {
  if (environmentId !== null) {
    const grants = await db.environmentAccess.findMany({
      where: { environmentId, level: "admin", status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }], user: { active: true, envAdmin: true } },
      select: { userId: true },
      orderBy: { userId: "asc" },
    });
    if (grants.length) return grants.map((grant) => grant.userId);
  }
  const admins = await db.user.findMany({ where: { role: "admin", active: true }, select: { id: true }, orderBy: { id: "asc" } });
  return admins.map((admin) => admin.id);
}

export function driftNotices(
  vm: DriftedVm,
  drift: { expected: VmStatus; observed: VmStatus; providerState: string; detectedAt: Date },
  recipients: number[],
): NotifyInput[] {
  const where = vm.environment ? ` (environment ${vm.environment.name})` : "";
  return recipients.map((userId) => ({
    userId,
    kind: "state_drift",
    dedupeKey: driftKey(vm.id, drift.detectedAt, userId),
    link: { vm: vm.name, ...(vm.environment ? { environment: vm.environment.name } : {}) },
    payload: {
      text: `${vm.name}${where} is ${drift.observed} in the cloud, but the bot last knew it ${drift.expected}: it was changed outside the bot.`,
      facts: { VM: vm.name, Cloud: `${vm.provider}: ${drift.providerState}`, Expected: drift.expected, ...(vm.environment ? { Environment: vm.environment.name } : {}) },
      actions: [
        { verb: "drift_adopt", value: String(vm.id) },
        { verb: "drift_revert", value: String(vm.id) },
        { verb: "drift_ignore", value: String(vm.id) },
      ],
    },
  }));
}
