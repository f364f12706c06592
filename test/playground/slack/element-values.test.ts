import { describe, expect, it } from "vitest";
import { initialStateValue, isEmptyStateValue, stateValueFromInput } from "../../../src/playground/slack/blocks/element-values.js";
import { normalizeBlocks } from "../../../src/playground/slack/blocks/normalize-blocks.js";
import { InputStateStore } from "../../../src/playground/slack/state/input-state.js";

const option = (value: string) => ({ text: { type: "plain_text" as const, text: value }, value });

describe("element values in Slack's state.values shapes", () => {
  it("starts from the element's initial_* value, or empty", () => {
    expect(initialStateValue({ type: "checkboxes", options: [option("a")] })).toEqual({ type: "checkboxes", selected_options: [] });
    expect(initialStateValue({ type: "static_select", options: [option("a")], initial_option: option("a") })).toEqual({ type: "static_select", selected_option: option("a") });
    expect(initialStateValue({ type: "users_select", initial_user: "U1" })).toEqual({ type: "users_select", selected_user: "U1" });
    expect(initialStateValue({ type: "plain_text_input" })).toEqual({ type: "plain_text_input", value: null });
    expect(initialStateValue({ type: "button" })).toBeUndefined();
  });

  it("turns a user's choice into the element type's own field, refusing options it does not offer", () => {
    const select = { type: "multi_static_select", action_id: "vms", options: [option("web-1"), option("web-2")] };
    expect(stateValueFromInput(select, ["web-2"])).toEqual({ type: "multi_static_select", selected_options: [option("web-2")] });
    expect(() => stateValueFromInput(select, ["db-9"])).toThrow(/no option with value "db-9"/);
    expect(stateValueFromInput({ type: "datepicker" }, "2030-01-31")).toEqual({ type: "datepicker", selected_date: "2030-01-31" });
    expect(stateValueFromInput({ type: "multi_users_select" }, ["U1", "U2"])).toEqual({ type: "multi_users_select", selected_users: ["U1", "U2"] });
    expect(stateValueFromInput({ type: "external_select" }, "typed")).toEqual({ type: "external_select", selected_option: option("typed") });
    expect(isEmptyStateValue({ type: "checkboxes", selected_options: [] })).toBe(true);
  });
});

describe("block ids Slack fills in", () => {
  it("adds block_id and action_id where the app left them out, stably across identical content", () => {
    const blocks = [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Go" } }] }, { type: "section", block_id: "mine", text: { type: "mrkdwn", text: "x" } }];
    const [first, second] = normalizeBlocks(blocks);
    expect(first?.block_id).toMatch(/^[\w-]{5}$/);
    expect((first?.elements as { action_id: string }[])[0]?.action_id).toMatch(/^[\w-]{5}$/);
    expect(second?.block_id).toBe("mine");
    expect(normalizeBlocks(blocks)[0]?.block_id).toBe(first?.block_id);
    expect(blocks[0]).not.toHaveProperty("block_id");
  });
});

describe("input state per surface", () => {
  it("keeps what each user entered, falls back to initial values, and drops entries for vanished elements", () => {
    const store = new InputStateStore();
    const blocks = [{ type: "actions", block_id: "b", elements: [{ type: "checkboxes", action_id: "c", options: [option("x"), option("y")], initial_options: [option("x")] }] }];
    store.set("message:C1:1.000001:U1", "b", "c", { type: "checkboxes", selected_options: [option("y")] });
    expect(store.valuesFor("message:C1:1.000001:U1", blocks)).toEqual({ b: { c: { type: "checkboxes", selected_options: [option("y")] } } });
    expect(store.valuesFor("message:C1:1.000001:U2", blocks)).toEqual({ b: { c: { type: "checkboxes", selected_options: [option("x")] } } });
    expect(store.valuesFor("message:C1:1.000001:U1", [])).toEqual({});
    store.forgetMessage("C1", "1.000001");
    expect(store.valuesFor("message:C1:1.000001:U1", blocks).b?.c).toEqual({ type: "checkboxes", selected_options: [option("x")] });
  });
});
