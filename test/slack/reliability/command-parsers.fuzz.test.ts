// Reliability: property-based fuzz of what a user types after `/vm`. 10,000 inputs per parser, mixing
// arbitrary strings with tokens of the grammar (filters, mentions, spans, quotes, unicode, very long
// words). Every input is either understood or refused with a typed error whose message tells the user what
// to fix; nothing else ever escapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError, ValidationError } from "../../../src/services/errors.js";
import { formatVmQuery, parseVmQuery, VM_QUERY_HELP } from "../../../src/services/vm-query.js";
import { parseAuditQuery } from "../../../src/slack/listeners/commands/audit.js";
import { UsageError, type Subcommand, type SubcommandInput } from "../../../src/slack/listeners/commands/subcommand.js";
import { routeVmCommand, subcommands } from "../../../src/slack/listeners/commands/vm-command.js";
import { renderUsage } from "../../../src/slack/views/help.js";
import { separator, typed } from "./command-text-arbitraries.js";

const RUNS = 10_000;
// Fixed so a CI run is repeatable; FUZZ_SEED=<n> explores other inputs.
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const NOW = new Date("2026-11-30T12:00:00Z");

const wordsOf = (text: string) => text.trim().split(/\s+/).filter(Boolean);

/** A refusal the user can act on: not empty, and it names the bad word or shows how to write it. */
function expectHelpfulRefusal(message: string, input: string, hints: string[]) {
  expect(message.trim().length).toBeGreaterThan(0);
  const mentionsInput = wordsOf(input).some((word) => message.includes(word) || word.split(/[:~=,]/).some((part) => part.length > 1 && message.includes(part)));
  const showsHow = hints.some((hint) => message.includes(hint));
  expect(mentionsInput || showsHow, `refusal "${message}" for "${input}" names neither the input nor the syntax`).toBe(true);
}

describe("Reliability: property-based fuzz of the /vm parsers", () => {
  it("parseVmQuery understands or refuses 10,000 inputs with a usage message, and what it accepts round-trips", () => {
    fc.assert(
      fc.property(typed, (input) => {
        let filters;
        try {
          filters = parseVmQuery(input);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expectHelpfulRefusal((error as Error).message, input, [VM_QUERY_HELP, "Use one of", "needs a value", "needs a tag name", "one name fragment", "NUL character"]);
          return;
        }
        for (const tag of filters.tags ?? []) expect(tag.key.length).toBeGreaterThan(0);
        // The "showing: ..." line and the filter box write the filters back; reading that gives the same filters.
        expect(parseVmQuery(formatVmQuery(filters))).toEqual(filters);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("parseAuditQuery understands or refuses 10,000 inputs with a usage message", () => {
    fc.assert(
      fc.property(typed, (input) => {
        try {
          const filters = parseAuditQuery(input, NOW);
          if (filters.since !== undefined) expect(Number.isFinite(filters.since)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expectHelpfulRefusal((error as Error).message, input, ["Filters:", "Use one of", "is not a time", "is not a person", "Name at most", "a name, e.g.", "too long"]);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("routes 10,000 command lines to the named subcommand or answers with the known ones", () => {
    const table = subcommands();
    const names = table.map((subcommand) => subcommand.name);
    const commandLine = fc.oneof(
      fc.tuple(fc.constantFrom(...names, ...names.map((name) => name.toUpperCase()), "strat", "lsit", "🙂"), separator, typed).map(([name, space, rest]) => name + space + rest),
      typed,
    );
    fc.assert(
      fc.property(commandLine, (text) => {
        const route = routeVmCommand(table, text);
        const [first = "help", ...others] = wordsOf(text.replaceAll("\u0000", ""));
        if (route.kind === "unknown") {
          expect(names).not.toContain(first.toLowerCase());
          expect(route.message).toContain(`\`${first}\``);
          for (const name of names) expect(route.message).toContain(name);
          return;
        }
        expect(route.subcommand.name).toBe(first.toLowerCase());
        expect(route.argv).toEqual(others);
        expect(wordsOf(route.rest)).toEqual(others);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("runs every subcommand on 10,000 argument lists: a usage error with the subcommand's usage, or on to the services", async () => {
    const table = subcommands();
    /** Stands for Slack and the services: reaching any of it means the arguments were accepted. */
    class ReachedServices extends Error {}
    const unreachable = new Proxy({}, { get: () => { throw new ReachedServices(); } });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...table), typed, async (subcommand: Subcommand, rest) => {
        const input = { deps: unreachable, args: unreachable, ctx: unreachable, argv: wordsOf(rest), rest: rest.trim() } as unknown as SubcommandInput;
        try {
          await subcommand.run(input);
        } catch (error) {
          if (error instanceof ReachedServices) return;
          // Typed errors only: UsageError (answered with the usage) or a domain error (mapped to a message).
          expect(error instanceof UsageError || error instanceof DomainError, `${subcommand.name} "${rest}" threw ${String(error)}`).toBe(true);
          const message = (error as Error).message;
          expect(message.trim().length).toBeGreaterThan(0);
          if (error instanceof UsageError) expect(renderUsage(subcommand, message)).toContain(`/vm ${subcommand.name}`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
