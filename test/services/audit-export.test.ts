// The audit CSV export: formula cells neutralised, written to a temporary file and handed over as a
// stream with its exact length, capped with a clear message, recorded once finished (or failed).
import { existsSync, type ReadStream } from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, it } from "vitest";
import { escapeFormulaCell, type AuditExportFile } from "../../src/services/audit-service.js";
import { ValidationError } from "../../src/services/errors.js";
import { describeEachDatabase } from "../support/databases.js";
import { buildFixture } from "../support/fixtures.js";

const readAll = async (file: AuditExportFile) => Buffer.concat((await file.open().toArray()) as Buffer[]);

it("prefixes cells a spreadsheet would run as a formula with a quote, and leaves others alone", () => {
  for (const risky of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(escapeFormulaCell(risky)).toBe(`'${risky}`);
  for (const safe of ["alice", "2026-11-10T12:00:00.000Z", '{"a":1}', "", "a=b"]) expect(escapeFormulaCell(safe)).toBe(safe);
});

describeEachDatabase("audit CSV export", (t) => {
  async function seed(options: { auditExportMaxRows?: number } = {}, count = 30) {
    const fixture = buildFixture(t.db, options);
    const exporter = await fixture.addUser("U0EXPORT", "admin"); // a platform export: global admins
    const at = new Date("2026-11-10T12:00:00Z").getTime();
    await fixture.services.audit.recordMany(
      Array.from({ length: count }, (_, index) => ({ actor: exporter, source: "schedule" as const, action: "reboot" as const, outcome: "succeeded" as const, vmName: `box-${index}`, at: new Date(at - index * 1000) })),
    );
    return { fixture, exporter };
  }

  it("neutralises formulas in user-controlled cells (a display name)", async () => {
    const { fixture, exporter } = await seed({}, 0);
    const names = ['=HYPERLINK("https://evil.example","click")', "+SUM(1)", "-2+3", "@cmd", "\t=1", "\r=1", "plain name"];
    for (const [index, name] of names.entries()) {
      const user = await t.db.prisma.user.create({ data: { teamId: "T0TEST0001", slackUserId: `U0NAME${index}`, displayName: name } });
      await t.db.prisma.auditLog.create({ data: { userId: user.id, action: "vm_start", outcome: "succeeded", source: "slack_button", vmName: "-vm", at: new Date(Date.UTC(2026, 10, 1, 0, index)) } });
    }
    const csv = await fixture.services.audit.exportCsv(fixture.as(exporter), { actions: ["vm_start"] }, async (file) => (await readAll(file)).toString("utf8"));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.user_name).sort()).toEqual(names.map((name) => (name === "plain name" ? name : `'${name}`)).sort());
    expect(rows.every((row) => row.vm === "'-vm")).toBe(true);
  });

  it("hands over a stream of a file of the exact length announced, deletes it afterwards, and records the row count", async () => {
    const { fixture, exporter } = await seed({}, 2500); // more than two database batches
    let path = "";
    const result = await fixture.services.audit.exportCsv(fixture.as(exporter), { actions: ["reboot"] }, async (file) => {
      const stream = file.open() as ReadStream;
      path = String(stream.path);
      stream.destroy();
      expect(existsSync(path)).toBe(true);
      // Nothing recorded yet: the export is recorded once it finished.
      expect(await t.db.prisma.auditLog.count({ where: { action: "audit_exported" } })).toBe(0);
      const bytes = await readAll(file);
      expect(bytes.length).toBe(file.bytes);
      expect(parse(bytes.toString("utf8"), { columns: true })).toHaveLength(2500);
      return { rows: file.rows, bytes: file.bytes };
    });
    expect(result.rows).toBe(2500);
    expect(existsSync(path)).toBe(false);
    const recorded = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "audit_exported" } });
    expect(recorded).toMatchObject({ outcome: "succeeded", userId: exporter.userId });
    expect(recorded.details).toMatchObject({ rows: 2500, bytes: result.bytes, filters: { actions: ["reboot"] } });
  });

  it("refuses an export over the cap with a message saying how many and the limit, recorded as failed", async () => {
    const { fixture, exporter } = await seed({ auditExportMaxRows: 20 }, 30);
    let delivered = false;
    const attempt = fixture.services.audit.exportCsv(fixture.as(exporter), {}, async () => void (delivered = true));
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow("Narrow the filter: it selects 30 entries, the limit is 20.");
    expect(delivered).toBe(false);
    const failed = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "audit_exported" } });
    expect(failed.outcome).toBe("failed");
    expect((failed.details as { reason: string }).reason).toMatch(/selects 30 entries/);
    // A narrower filter goes through.
    const rows = await fixture.services.audit.exportCsv(fixture.as(exporter), { vmName: "box-3" }, async (file) => file.rows);
    expect(rows).toBe(1);
  });

  it("records a failed upload as a failed export with the reason, and still deletes the file", async () => {
    const { fixture, exporter } = await seed({}, 5);
    let path = "";
    const attempt = fixture.services.audit.exportCsv(fixture.as(exporter), {}, async (file) => {
      const stream = file.open() as ReadStream;
      path = String(stream.path);
      stream.destroy();
      throw new Error("upload refused: HTTP 500");
    });
    await expect(attempt).rejects.toThrow("upload refused");
    expect(existsSync(path)).toBe(false);
    const failed = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "audit_exported" } });
    expect(failed).toMatchObject({ outcome: "failed" });
    expect((failed.details as { reason: string }).reason).toBe("upload refused: HTTP 500");
  });
});
