// The stored environment as the planner needs it: groups and VMs in sequence, with ids and statuses.
import type { Db } from "../prisma-types.js";
import { readinessCheckSchema } from "./model.js";
import type { PlanInput } from "./plan.js";

export async function loadPlanInput(db: Db, environmentName: string): Promise<PlanInput | null> {
  const environment = await db.environment.findUnique({
    where: { name: environmentName },
    include: {
      groups: {
        orderBy: [{ sequencePosition: "asc" }, { name: "asc" }],
        include: {
          dependsOn: { include: { dependsOn: { select: { name: true } } } },
          vms: {
            orderBy: [{ sequencePosition: "asc" }, { name: "asc" }],
            include: { dependsOn: { include: { dependsOn: { select: { name: true } } } } },
          },
        },
      },
    },
  });
  if (!environment) return null;
  return {
    environmentId: environment.id,
    environment: environment.name,
    groups: environment.groups.map((group) => ({
      name: group.name,
      sequence: group.sequencePosition,
      settleSeconds: group.settleSeconds,
      dependsOn: group.dependsOn.map((dependency) => dependency.dependsOn.name),
      vms: group.vms.map((vm) => {
        const readiness = readinessCheckSchema.safeParse(vm.readinessCheck);
        return {
          vmId: vm.id,
          name: vm.name,
          group: group.name,
          status: vm.status,
          dependsOn: vm.dependsOn.map((dependency) => dependency.dependsOn.name),
          ...(vm.readinessCheck !== null && readiness.success ? { readiness: readiness.data } : {}),
        };
      }),
    })),
  };
}
