// A run's outcome and its audit row commit together: when the outcome cannot be recorded (the process
// dies, the database fails), the run is not left settled without it; it stays resumable, and the
// process that takes it over settles it and records the outcome once, without asking the cloud again.
import { expect, it } from "vitest";
import { createAuditService, type AuditEntryInput } from "../../../src/services/audit-service.js";
import { describeEachDatabase } from "../../support/databases.js";
import { buildEnvironmentFixture } from "./env-fixture.js";
import { environment, group, vm } from "./specs.js";

describeEachDatabase("environment run outcome and its audit", (t) => {
  it("a failed outcome record leaves the run resumable; the next owner settles it and records it once", async () => {
    const f = buildEnvironmentFixture(t.db);
    await f.declare({ environments: [environment("pair", [group("all", 0, [vm("a", 0), vm("b", 1, ["a"])])])], vms: [] });
    const ctx = await f.actor("operator");

    const real = createAuditService(t.db.prisma);
    const failingOutcome = {
      ...real,
      record: async (entry: AuditEntryInput, db?: Parameters<typeof real.record>[1]) => {
        if (entry.outcome !== "initiated") throw new Error("connection lost while recording the outcome");
        return real.record(entry, db);
      },
    };
    const first = f.service({ ownerId: "first", audit: failingOutcome });
    const { operationId } = await first.requestEnvironmentAction(ctx, "pair", "start");
    await expect(first.runExecution(operationId)).rejects.toThrow("connection lost");

    const operation = await t.db.prisma.operationExecution.findUniqueOrThrow({ where: { id: operationId } });
    expect(operation.status).toBe("running"); // not settled without its audit row

    const survivor = f.service({ ownerId: "survivor", now: () => new Date(Date.now() + 120_000) });
    expect(await survivor.resumeAbandonedRuns()).toEqual([operationId]);
    expect((await survivor.getProgress(operationId)).status).toBe("succeeded");
    expect(f.calls.map((call) => call.vm)).toEqual(["a", "b"]); // the survivor asked the cloud nothing
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "environment_start" }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.outcome)).toEqual(["initiated", "succeeded"]);
  });
});
