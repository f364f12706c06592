// The playground as a person uses it, in Debian's Chromium.
// First, a newcomer's first minute: `npm start` in its own process, the URL it prints opened exactly as
// printed (no query string), then list VMs, tick two, start them and see them running, switch to the
// viewer and see no power buttons, with no console or page error on the way. Then, on an in-process
// playground: the Stop confirm dialog, the audit modal and its CSV download, the App Home, and the Block
// Kit the bot does not send yet, posted straight to the stand-in.
// Screenshots go to test-results/ (kept by CI).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KITCHEN_SINK_BLOCKS, KITCHEN_SINK_MODAL } from "./kitchen-sink.js";
import { npmStart, type StartedBot } from "./npm-start.js";
import { startTestPlayground, type TestPlayground } from "./playground-harness.js";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";
const RESULTS = join(process.cwd(), "test-results");
// This machine has no internet: everything that would phone home is off.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function openBrowser(): Promise<{ context: BrowserContext; page: Page; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "vmbot-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return { context, page, userDataDir };
}

/** The page's locators, for whichever page a describe drives. */
function pageParts(page: () => Page) {
  const composer = () => page().getByRole("textbox", { name: /^Message / });
  // A list answered in the channel or only to the caller ("Only visible to you"): an article either way.
  const vmLists = () => page().locator("article.message", { has: page().locator(".bk-header", { hasText: "Virtual machines" }) });
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const rowOf = (list: Locator, vmName: string) => list.locator(".bk-section[data-block-id^='vm_row:']", { has: page().locator("b", { hasText: exactly(vmName) }) });
  async function type(command: string) {
    await composer().fill(command);
    await composer().press("Enter");
  }
  return { composer, vmLists, rowOf, type };
}

const chromiumMissing = !existsSync(CHROMIUM);
const underCi = process.env.CI === "true";
if (chromiumMissing && !underCi) console.warn(`\n[playground browser test] SKIPPED: ${CHROMIUM} is not installed. Install it with: ${INSTALL}\n`);

function whenChromiumIsThere(): boolean {
  if (!chromiumMissing) return true;
  const problem = `${CHROMIUM} is not installed. Install it with: ${INSTALL}`;
  if (underCi) it("runs in Debian's Chromium", () => expect.fail(`${problem} (under CI=true the browser test must run, not skip)`));
  else it.skip(`SKIPPED: ${problem}`, () => undefined);
  return false;
}

// Runs in the page (a string: the root tsconfig has no DOM types). True when, for each name, some block of
// some message (the list the caller ticked, or the outcome posted in the channel) shows it running and
// nothing in flight.
const SHOWN_RUNNING = (names: string[]) => `
  (() => {
    const blocks = [...document.querySelectorAll("article.message .bk-block")].map((block) => block.innerText);
    const mentions = (text, name) => new RegExp("(^|[^\\\\w-])" + name.replace(/[.*+?^\${}()|[\\]\\\\]/g, "\\\\$&") + "($|[^\\\\w-])").test(text);
    return ${JSON.stringify(names)}.every((name) => blocks.some((text) => mentions(text, name) && /\\brunning\\b/.test(text) && !/\\b(starting|stopping|pending)\\b/i.test(text)));
  })()
`;

describe("npm start, as a newcomer runs it, in a browser", { timeout: 60_000 }, () => {
  if (!whenChromiumIsThere()) return;

  let started: StartedBot;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  const problems: string[] = [];
  const { composer, vmLists, rowOf, type } = pageParts(() => browser.page);

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    started = await npmStart({ SIM_LATENCY_MS: "300", SIM_JITTER_MS: "0", LOG_LEVEL: "warn" }, 90_000);
    browser = await openBrowser();
    browser.page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    browser.page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.context.close();
    if (browser) rmSync(browser.userDataDir, { recursive: true, force: true });
    await started?.stop();
  }, 30_000);

  it("prints the URL of the playground on this machine", () => {
    expect(started.printedUrl).toBe(`http://localhost:${started.port}/`);
  });

  it("opens the printed URL as printed, as the demo admin", async () => {
    const { page } = browser;
    await page.goto(started.printedUrl);
    expect(page.url()).toBe(started.printedUrl);
    await page.locator(".connection.live").waitFor();
    await page.locator(".user-choice.current", { hasText: "Morgan Lee" }).waitFor();
    await expect.poll(() => composer().getAttribute("placeholder")).toBe("/vm help");
    expect(await page.locator(".load-problem").count()).toBe(0);
  });

  it("lists VMs, starts two ticked ones and shows them running", async () => {
    const { page } = browser;
    await page.getByRole("button", { name: "vm-ops" }).click();
    const before = await vmLists().count();
    await type("/vm list");
    await expect.poll(() => vmLists().count()).toBeGreaterThan(before);
    // The newest list, wherever it was answered (the channel, or only to the caller).
    const list = vmLists().last();
    const stoppedRows = list.locator(".bk-section[data-block-id^='vm_row:']", { hasText: /\bstopped\b/ });
    await stoppedRows.nth(1).waitFor();
    const names = [await stoppedRows.nth(0).locator("b").first().innerText(), await stoppedRows.nth(1).locator("b").first().innerText()];

    await rowOf(vmLists().last(), names[0]!).getByRole("checkbox").check();
    await vmLists().last().getByRole("button", { name: "Start (1 selected)" }).waitFor();
    await rowOf(vmLists().last(), names[1]!).getByRole("checkbox").check();
    await vmLists().last().getByRole("button", { name: "Start (2 selected)" }).click();

    // Whatever message the bot updates with the outcome (the list in place, or a post in the channel).
    await expect.poll(() => page.evaluate(SHOWN_RUNNING(names)), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: join(RESULTS, "playground-first-minute.png"), fullPage: true });

    // And a fresh list agrees: both are running.
    const lists = await vmLists().count();
    await type("/vm list");
    await expect.poll(() => vmLists().count()).toBeGreaterThan(lists);
    for (const name of names) await expect.poll(() => rowOf(vmLists().last(), name).innerText()).toMatch(/\brunning\b/);
  });

  it("shows the viewer a list without power buttons", async () => {
    const { page } = browser;
    await page.locator(".user-choice", { hasText: "Sam Chen" }).click();
    await page.locator(".user-choice.current", { hasText: "Sam Chen" }).waitFor();
    expect(new URL(page.url()).searchParams.get("user")).toBe("U0DEMOVIEW");
    await page.getByRole("button", { name: "vm-ops" }).click();
    const before = await vmLists().count();
    await type("/vm list");
    await expect.poll(() => vmLists().count()).toBeGreaterThan(before);
    const viewerList = vmLists().last();
    await viewerList.locator(".bk-section[data-block-id^='vm_row:']").first().waitFor();
    expect(await viewerList.getByRole("checkbox").count()).toBe(0);
    expect(await viewerList.getByRole("button", { name: /^(Start|Stop|Reboot)/ }).count()).toBe(0);
    expect(await viewerList.locator("[data-action-id='vm_list_pick']").count()).toBe(0);
    await page.screenshot({ path: join(RESULTS, "playground-viewer.png"), fullPage: true });
  });

  it("logged no console error and no page error", () => {
    expect(problems).toEqual([]);
  });

  it("says what is wrong when ?user= names nobody, instead of a blank page", async () => {
    const { page } = browser;
    const extra = await browser.context.newPage();
    try {
      const refused: string[] = [];
      extra.on("console", (message) => message.type() === "error" && refused.push(message.text()));
      await extra.goto(`${started.printedUrl}?user=U0NOBODY`);
      const problem = extra.locator(".load-problem");
      await problem.waitFor();
      expect(await problem.innerText()).toContain("Could not load the workspace: unknown user U0NOBODY: the playground's people are U0DEMOADMIN (Morgan Lee)");
      await problem.getByRole("link", { name: "Open the playground as the demo admin" }).click();
      await extra.locator(".user-choice.current", { hasText: "Morgan Lee" }).waitFor();
      // The 400 itself is the only error the browser reports.
      expect(refused.every((text) => text.includes("400"))).toBe(true);
    } finally {
      await extra.close();
    }
    expect(page.isClosed()).toBe(false);
  });
});

describe("the playground's Block Kit in a browser", { timeout: 60_000 }, () => {
  if (!whenChromiumIsThere()) return;

  let playground: TestPlayground;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  const { vmLists, type } = pageParts(() => page);

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    playground = await startTestPlayground();
    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${playground.base}/`);
    await page.locator(".connection.live").waitFor();
  }, 120_000);

  afterAll(async () => {
    const violations = [...(playground?.standIn.violations ?? [])];
    await browser?.context.close();
    await playground?.dispose();
    if (browser) rmSync(browser.userDataDir, { recursive: true, force: true });
    // Every Web API call the bot made must be one Slack's own API description accepts.
    expect(violations).toEqual([]);
  });

  it("shows the confirm dialog of Stop, and sends nothing when it is cancelled", async () => {
    const before = await vmLists().count();
    await type("/vm list");
    await expect.poll(() => vmLists().count()).toBeGreaterThan(before);
    const list = vmLists().last();
    const runningRow = list.locator(".bk-section[data-block-id^='vm_row:']", { hasText: /\brunning\b/ }).first();
    await runningRow.getByRole("checkbox").check();
    await vmLists().last().getByRole("button", { name: "Stop (1 selected)" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Stop 1 VM?" });
    await dialog.waitFor();
    const deliveries = playground.workspace.deliveries.length;
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(playground.workspace.deliveries.length).toBe(deliveries);
    await page.screenshot({ path: join(RESULTS, "playground-vm-list.png"), fullPage: true });
    await vmLists().last().getByRole("button", { name: "Clear selection" }).click();
    await vmLists().last().getByRole("button", { name: /^Stop \(/ }).waitFor({ state: "detached" });
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

    await openMenu(text.getByRole("button", { name: "More actions" }));
    expect(await page.getByRole("option").allInnerTexts()).toEqual(["Edit", "Delete"]);
    await page.keyboard.press("Escape");

    await openMenu(message.locator("[data-action-id='ks_static'] input"));
    expect(await page.locator(".bk-menu-header").allInnerTexts()).toEqual(["Group A", "Group B"]);
    await page.keyboard.press("Escape");
    await openMenu(message.locator("[data-action-id='ks_user'] input"));
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

/**
 * Clicks a control until its menu is open. A menu closes when the page scrolls, and the conversation
 * scrolls itself to a message that just arrived: on a busy machine that can land right after the click.
 */
async function openMenu(trigger: Locator): Promise<void> {
  const options = trigger.page().getByRole("option");
  await vi.waitFor(
    async () => {
      if (!(await options.first().isVisible())) await trigger.click();
      await options.first().waitFor({ timeout: 2_000 });
    },
    { timeout: 15_000, interval: 200 },
  );
}
