import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.js";

describeEachDatabase("database", (t) => {
  it("stores and reads JSON details and enums", async () => {
    const vm = await t.db.prisma.vm.create({
      data: { name: "web-1", provider: "aws", region: "eu-west-1", providerResourceId: "i-1", status: "running", details: { cpu: 2, ips: ["10.0.0.1"] } },
    });
    const read = await t.db.prisma.vm.findUniqueOrThrow({ where: { id: vm.id } });
    expect(read.details).toEqual({ cpu: 2, ips: ["10.0.0.1"] });
    expect(read.status).toBe("running");
  });

  it("never shows a read another flow's uncommitted rows, which that flow's rollback then takes back", async () => {
    const { prisma } = t.db;
    let insideTransaction!: () => void;
    const transactionOpen = new Promise<void>((resolve) => (insideTransaction = resolve));
    let finishTransaction!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finishTransaction = resolve));
    const failing = prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { teamId: "T1", slackUserId: "U_ROLLED_BACK" } });
      insideTransaction();
      await mayFinish;
      throw new Error("this transaction fails");
    });
    await transactionOpen;
    // Another request reads meanwhile (Prisma's queries start when awaited: `then` starts it now).
    const read = prisma.user.findMany().then((users) => users.map((user) => user.slackUserId));
    await new Promise((resolve) => setTimeout(resolve, 50));
    finishTransaction();
    await expect(failing).rejects.toThrow("this transaction fails");
    expect(await read).toEqual([]);
  });

  it("starts every test from empty tables", async () => {
    expect(await t.db.prisma.vm.count()).toBe(0);
  });
});
