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

  it("starts every test from empty tables", async () => {
    expect(await t.db.prisma.vm.count()).toBe(0);
  });
});
