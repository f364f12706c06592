// The playground as a person uses it, in Debian's Chromium: list VMs, tick two, start them and watch
// the message turn them running, filter the audit modal, export and download the CSV, open the App Home,
// then look as a viewer; and the Block Kit the bot does not send yet, posted straight to the stand-in.
// Screenshots of the list, a modal and the App Home go to test-results/ (kept by CI).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KITCHEN_SINK_BLOCKS, KITCHEN_SINK_MODAL } from "./kitchen-sink.js";
import { startTestPlayground, type TestPlayground } from "./playground-harness.js";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";
const RESULTS = join(process.cwd(), "test-results");
// This machine has no internet: everything that would phone home is off.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// Runs in the page (a string: the root tsconfig has no DOM types).
const RECORD_PROGRESS_HEADLINES = `
  window.progressHeadlines = new Set();
  new MutationObserver(() => {
    for (const bold of document.querySelectorAll("[data-block-id='operation_progress'] b")) window.progressHeadlines.add(bold.textContent);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
`;

const chromiumMissing = !existsSync(CHROMIUM);
const underCi = process.env.CI === "true";
if (chromiumMissing && !underCi) console.warn(`\n[playground browser test] SKIPPED: ${CHROMIUM} is not installed. Install it with: ${INSTALL}\n`);

describe("the playground in a browser", () => {
  if (chromiumMissing) {
    const problem = `${CHROMIUM} is not installed. Install it with: ${INSTALL}`;
    if (underCi) it("runs in Debian's Chromium", () => expect.fail(`${problem} (under CI=true the browser test must run, not skip)`));
    else it.skip(`SKIPPED: ${problem}`, () => undefined);
    return;
  }

  let playground: TestPlayground;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    playground = await startTestPlayground();
    userDataDir = mkdtempSync(join(tmpdir(), "vmbot-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    await page.goto(`${playground.base}/?user=U0DEMOADMIN`);
    await page.locator(".connection.live").waitFor();
  });

  afterAll(async () => {
    const violations = [...(playground?.standIn.violations ?? [])];
    await context?.close();
    await playground?.dispose();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    // Every Web API call the bot made must be one Slack's own API description accepts.
    expect(violations).toEqual([]);
  });

  const composer = () => page.getByRole("textbox", { name: /^Message / });
  const vmLists = () => page.locator("article.message", { has: page.locator(".bk-header", { hasText: "Virtual machines" }) });
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const rowOf = (list: Locator, vmName: string) => list.locator(".bk-section[data-block-id^='vm_row:']", { has: page.locator("b", { hasText: exactly(vmName) }) });

  async function type(command: string) {
    await composer().fill(command);
    await composer().press("Enter");
  }

  it("lists VMs, starts two selected ones and shows their progress in place until they run", async () => {
    await expect.poll(() => composer().getAttribute("placeholder")).toBe("/vm help");
    await type("/vm list");
    const list = vmLists().last();
    await list.waitFor();
    const ts = await list.getAttribute("data-ts");

    const stoppedRows = list.locator(".bk-section[data-block-id^='vm_row:']", { hasText: /\bstopped\b/ });
    const names = [await stoppedRows.nth(0).locator("b").first().innerText(), await stoppedRows.nth(1).locator("b").first().innerText()];
    await rowOf(list, names[0]!).getByRole("checkbox").check();
    await list.getByRole("button", { name: "Start (1 selected)" }).waitFor();
    await rowOf(list, names[1]!).getByRole("checkbox").check();
    // Progress may pass quickly: record every headline the page ever shows, not just the last.
    await page.evaluate(RECORD_PROGRESS_HEADLINES);
    await list.getByRole("button", { name: "Start (2 selected)" }).click();

    await list.getByText(/Started 2 VMs/).waitFor({ timeout: 20_000 });
    expect(await page.evaluate("[...window.progressHeadlines]")).toContain("Starting 2 VMs");
    for (const name of names) await expect.poll(() => rowOf(list, name).innerText()).toMatch(/\brunning\b/);
    // Updated in place: still the one list message, with the same ts.
    expect(await vmLists().count()).toBe(1);
    expect(await list.getAttribute("data-ts")).toBe(ts);
    expect(await list.locator(".message-edited").count()).toBe(1);
    await page.screenshot({ path: join(RESULTS, "playground-vm-list.png"), fullPage: true });
  });

  it("shows the confirm dialog of Stop, and sends nothing when it is cancelled", async () => {
    const list = vmLists().last();
    const runningRow = list.locator(".bk-section[data-block-id^='vm_row:']", { hasText: /\brunning\b/ }).first();
    await runningRow.getByRole("checkbox").check();
    await list.getByRole("button", { name: "Stop (1 selected)" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Stop 1 VM?" });
    await dialog.waitFor();
    const deliveries = playground.workspace.deliveries.length;
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(playground.workspace.deliveries.length).toBe(deliveries);
    await list.getByRole("button", { name: "Clear selection" }).click();
    await list.getByRole("button", { name: /^Stop \(/ }).waitFor({ state: "detached" });
  });

  it("opens the audit modal, filters it by action, and exports the CSV as a downloadable file", async () => {
    await type("/vm audit");
    const auditMessage = page.locator("article.message", { has: page.locator(".bk-header", { hasText: "Audit log" }) }).last();
    await auditMessage.getByRole("button", { name: "Filters…" }).click();
    const modal = page.getByRole("dialog", { name: "Audit log" });
    await modal.waitFor();
    await modal.getByText("Loading entries…").waitFor({ state: "detached" });

    await modal.locator("[data-block-id='audit_actions'] .bk-select-search").click();
    await modal.getByRole("option", { name: "vm_start" }).click();
    await modal.locator("[data-block-id='audit_actions'] .bk-chip", { hasText: "vm_start" }).waitFor();
    await modal.getByRole("button", { name: "Apply filters" }).click();
    await modal.locator(".bk-context", { hasText: /action vm_start/ }).waitFor();
    await modal.getByText("Loading entries…").waitFor({ state: "detached" });
    const entries = await modal.locator(".bk-section").allInnerTexts();
    expect(entries.join("\n")).toContain("vm_start");
    expect(entries.join("\n")).not.toMatch(/\bvm_stop\b/);
    await page.screenshot({ path: join(RESULTS, "playground-audit-modal.png") });

    await modal.getByRole("button", { name: "Export CSV" }).click();
    await page.getByRole("button", { name: /Files \(1\)/ }).waitFor();
    await modal.getByRole("button", { name: "Close", exact: true }).first().click();
    await modal.waitFor({ state: "detached" });

    await page.getByRole("button", { name: /Files \(1\)/ }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(".file-card").first().click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-.*\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toMatch(/action/i);
    expect(csv).toContain("vm_start");
  });

  it("opens the App Home", async () => {
    await page.getByRole("button", { name: /Home$/ }).click();
    const home = page.locator(".home");
    await home.locator(".bk-header", { hasText: "VM lifecycle bot" }).waitFor();
    await home.getByText(/role admin/).waitFor();
    await page.screenshot({ path: join(RESULTS, "playground-app-home.png") });
  });

  it("shows a viewer the list without checkboxes or power buttons", async () => {
    await page.locator(".user-choice", { hasText: "Sam Chen" }).click();
    await page.locator(".user-choice.current", { hasText: "Sam Chen" }).waitFor();
    await page.getByRole("button", { name: "vm-ops" }).click();
    const before = await vmLists().count();
    await type("/vm list");
    await expect.poll(() => vmLists().count()).toBe(before + 1);
    const viewerList = vmLists().last();
    await viewerList.locator(".bk-section[data-block-id^='vm_row:']").first().waitFor();
    expect(await viewerList.getByRole("checkbox").count()).toBe(0);
    expect(await viewerList.getByRole("button", { name: /^(Start|Stop|Reboot)/ }).count()).toBe(0);
    expect(await viewerList.locator("[data-action-id='vm_list_pick']").count()).toBe(0);
  });

  // Only interactions Slack would not send to the bot: it has no listeners for these elements.
  it("renders Block Kit the bot does not send yet: mrkdwn, overflow, grouped and user selects, date picker, radio buttons, a modal stack", async () => {
    const client = new WebClient(playground.standIn.botToken, { slackApiUrl: playground.standIn.apiUrl });
    await page.getByRole("button", { name: "vm-ops" }).click();
    await client.chat.postMessage({ channel: playground.standIn.defaultChannel.id, text: "Kitchen sink", blocks: KITCHEN_SINK_BLOCKS as never });
    const message = page.locator("article.message", { has: page.locator(".bk-header", { hasText: "Kitchen sink 🚀" }) });
    await message.waitFor();

    const text = message.locator(".bk-block[data-block-id='ks_text']");
    expect(await text.locator("b").first().innerText()).toBe("bold");
    expect(await text.locator("i").first().innerText()).toBe("italic");
    expect(await text.locator("s").first().innerText()).toBe("strike");
    expect(await text.locator("code").first().innerText()).toBe("code");
    expect(await text.getByRole("link", { name: "a link" }).getAttribute("href")).toBe("https://example.com");
    expect(await text.innerText()).toContain("@Priya Natarajan");
    expect(await text.innerText()).toContain("2023-11-14");
    expect(await text.innerText()).toContain("🟢 <escaped>");
    expect(await text.locator("blockquote").innerText()).toBe("a quote");
    expect(await text.locator("pre").innerText()).toBe("a\ncode block");

    await text.getByRole("button", { name: "More actions" }).click();
    expect(await page.getByRole("option").allInnerTexts()).toEqual(["Edit", "Delete"]);
    await page.keyboard.press("Escape");

    await message.locator("[data-action-id='ks_static'] input").click();
    expect(await page.locator(".bk-menu-header").allInnerTexts()).toEqual(["Group A", "Group B"]);
    await page.keyboard.press("Escape");
    await message.locator("[data-action-id='ks_user'] input").click();
    expect(await page.getByRole("option").allInnerTexts()).toEqual(["Morgan Lee", "Priya Natarajan", "Diego Alvarez", "Sam Chen"]);
    await page.keyboard.press("Escape");
    expect(await message.locator("[data-action-id='ks_date']").inputValue()).toBe("2026-11-22");
    expect(await message.getByRole("radio", { name: "One" }).isChecked()).toBe(true);

    const deliveries = playground.workspace.deliveries.length;
    await message.getByRole("button", { name: "Danger" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Really?" });
    expect(await confirm.locator("b").innerText()).toBe("dangerous");
    await confirm.getByRole("button", { name: "Stop" }).click();
    expect(playground.workspace.deliveries.length).toBe(deliveries);

    // A modal with a pushed view on top, as views.open + views.push leave it.
    const me = (await page.locator(".user-choice.current").getAttribute("data-user-id"))!;
    await client.views.open({ trigger_id: playground.standIn.state.triggers.issue(me), view: KITCHEN_SINK_MODAL as never });
    await client.views.push({ trigger_id: playground.standIn.state.triggers.issue(me), view: { ...KITCHEN_SINK_MODAL, title: { type: "plain_text", text: "Pushed" } } as never });
    await page.getByRole("dialog", { name: "Pushed" }).getByRole("button", { name: "Back" }).click();
    const modal = page.getByRole("dialog", { name: "Kitchen sink" });
    await modal.getByRole("button", { name: "Save" }).click();
    await modal.locator("[data-block-id='ks_name'] .bk-error", { hasText: "Please complete this required field." }).waitFor();
    await modal.locator("[data-block-id='ks_people'] input").click();
    await page.getByRole("option", { name: "Diego Alvarez" }).click();
    await modal.locator("[data-block-id='ks_people'] .bk-chip", { hasText: "Diego Alvarez" }).waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => playground.standIn.openViews(me).at(-1)?.state.values.ks_people?.people?.selected_users).toEqual(["U0DEMOOPS2"]);
    await modal.getByRole("button", { name: "Cancel" }).click();
    await modal.waitFor({ state: "detached" });
    expect(playground.standIn.openViews(me)).toEqual([]);
    expect(playground.workspace.deliveries.length).toBe(deliveries);
  });
});
