// How many SQL statements each of the hot interactions costs, counted at the driver adapter: a signed
// `/vm list`, a checkbox tick and a paging click through the real HTTP receiver, by a user already known
// to the bot (their session open). Counts, not timings: a change that adds a query to the hot path fails
// here with the number, and the benchmark (bench/ack-latency.ts) shows what it costs.
import { expect, it } from "vitest";
import type { QueryCounts } from "../../../src/db/query-counter.js";
import { USERS } from "../../support/bot-harness.js";
import { describeWithBot } from "../../support/describe-with-bot.js";
import { addVms, blocksText, ephemeralNow, latestEphemeral } from "../../support/slack-helpers.js";

/** The most statements (and transactions) each interaction may cost, as measured when this was written. */
// Before the cut they were 11, 14 and 19 statements, each with a transaction (the user's visit written).
// Now: claim the delivery, the page (VMs, tags, groups, environments), the count, the selection's names
// (tick, page), the page's anchor (page) and the `view` audit entry (list, page).
// PostgreSQL joins a page's tags, groups and environments into the page's query (relationJoins).
const BUDGETS = {
  sqlite: {
    list: { queries: 7, transactions: 0 },
    tick: { queries: 7, transactions: 0 },
    page: { queries: 9, transactions: 0 },
  },
  postgresql: {
    list: { queries: 4, transactions: 0 },
    tick: { queries: 4, transactions: 0 },
    page: { queries: 6, transactions: 0 },
  },
} satisfies Record<string, Record<string, QueryCounts>>;

const rowIds = (blocks: unknown) =>
  ((blocks ?? []) as { block_id?: string }[]).flatMap((block) => (String(block.block_id).startsWith("vm_row:") ? [block.block_id!] : []));

describeWithBot("Queries per hot interaction", (t) => {
  it("answers /vm list, a tick and a paging click within their query budgets, every one still audited", async () => {
    const { workspace, standIn, bot, idle } = t.harness;
    await addVms(bot, 25, { status: "stopped" });
    const user = USERS.operator.id;
    // First sight of the user (registration, login, profile) is not the hot path: get it behind us
    // (the profile learnt on first sight makes the second interaction read the user afresh).
    await workspace.command(user, "/vm", "whoami");
    await idle();
    await workspace.command(user, "/vm", "whoami");
    await idle();

    const measure = async (interaction: () => Promise<unknown>): Promise<QueryCounts> => {
      const before = bot.db.queries.snapshot();
      await interaction();
      await idle();
      const after = bot.db.queries.snapshot();
      return { queries: after.queries - before.queries, transactions: after.transactions - before.transactions };
    };
    const auditedViews = () => bot.db.prisma.auditLog.count({ where: { action: "view", user: { slackUserId: user } } });

    const viewsBefore = await auditedViews();
    const list = await measure(() => workspace.command(user, "/vm", "list"));
    const shown = await standIn.waitFor(() => latestEphemeral(standIn, user, { containing: "25 VMs" }));
    const target = { channel: shown.channel, ts: shown.ts };

    const row = rowIds(shown.blocks)[0]!;
    const tick = await measure(() => workspace.selectCheckboxes(user, target, "vm_list_select", [row.slice(7)], { blockId: row }));
    expect(blocksText(ephemeralNow(standIn, user, target)?.blocks)).toContain("1 selected");

    const page = await measure(() => workspace.clickButton(user, target, "vm_list_next"));
    expect(blocksText(ephemeralNow(standIn, user, target)?.blocks)).toContain("vm-011");
    // The list and the page are audited as views (the tick is not); batching must not lose them.
    expect(await auditedViews()).toBe(viewsBefore + 2);

    console.log(`queries per interaction (${bot.db.dialect}):`, JSON.stringify({ list, tick, page }));
    const BUDGET = BUDGETS[bot.db.dialect];
    expect(list.queries).toBeLessThanOrEqual(BUDGET.list.queries);
    expect(list.transactions).toBeLessThanOrEqual(BUDGET.list.transactions);
    expect(tick.queries).toBeLessThanOrEqual(BUDGET.tick.queries);
    expect(tick.transactions).toBeLessThanOrEqual(BUDGET.tick.transactions);
    expect(page.queries).toBeLessThanOrEqual(BUDGET.page.queries);
    expect(page.transactions).toBeLessThanOrEqual(BUDGET.page.transactions);
  });
});
