// Menus a user picks from: static (options / option_groups), external (the bot's options endpoint,
// asked as the user types) and user pickers (the fake workspace's directory); single or multi.
import { h } from "../dom.js";
import { currentState, elementData } from "./element-state.js";
import { attachMenu } from "./menu.js";
import { plainText } from "./text-objects.js";

/** @typedef {import("../types.js").SlackOption} SlackOption */
/** @typedef {"static" | "external" | "users"} OptionSource */

/** @type {Readonly<Record<string, { source: OptionSource, multi: boolean }>>} */
const SELECTS = {
  static_select: { source: "static", multi: false },
  multi_static_select: { source: "static", multi: true },
  external_select: { source: "external", multi: false },
  multi_external_select: { source: "external", multi: true },
  users_select: { source: "users", multi: false },
  multi_users_select: { source: "users", multi: true },
};

// Slack waits for a pause in typing before it asks the app for options.
const SUGGEST_DELAY_MS = 200;

/** @param {string} type */
export function isSelect(type) {
  return type in SELECTS;
}

/**
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 */
export function renderSelect(element, block, ctx) {
  const kind = SELECTS[element.type] ?? { source: "static", multi: false };
  const placeholder = plainText(element.placeholder) || (kind.multi ? "Select options" : "Select an option");
  /** @type {SlackOption[]} */
  let chosen = chosenFromState(kind.source, currentState(ctx, block, element), ctx);
  let request = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  const search = h("input", { type: "text", className: "bk-select-search", placeholder, "aria-label": placeholder, autocomplete: "off" });
  const chips = h("span", { className: "bk-select-chips" });
  const field = h("div", { className: "bk-select-field", onclick: () => search.focus() }, chips, search, h("span", { className: "bk-select-caret" }, "▾"));
  const root = h("div", { className: `bk-select ${kind.multi ? "multi" : "single"}`, dataset: elementData(block, element) }, field);
  const menu = attachMenu(root);

  const isChosen = (/** @type {SlackOption} */ option) => chosen.some((candidate) => candidate.value === option.value);

  function paint() {
    chips.replaceChildren(
      ...(kind.multi
        ? chosen.map((option) =>
            h("span", { className: "bk-chip" }, plainText(option.text), h("button", { type: "button", className: "bk-chip-remove", "aria-label": `Remove ${plainText(option.text)}`, onmousedown: (/** @type {Event} */ event) => { event.preventDefault(); void choose(chosen.filter((candidate) => candidate.value !== option.value)); } }, "×")),
          )
        : []),
    );
    if (document.activeElement !== search) search.value = kind.multi ? "" : plainText(chosen[0]?.text);
    search.placeholder = kind.multi && chosen.length ? "" : placeholder;
  }

  /** @param {string} typed */
  async function showOptions(typed) {
    const ticket = ++request;
    const { options, groups, hint } = await optionsFor(kind.source, element, block, ctx, typed);
    if (ticket !== request || document.activeElement !== search) return; // a newer query or the menu closed meanwhile
    /** @type {import("./menu.js").MenuItem[]} */
    const items = [];
    for (const group of groups) {
      if (group.label) items.push({ label: group.label, header: true });
      for (const option of group.options) {
        items.push({
          label: plainText(option.text),
          ...(option.description ? { description: plainText(option.description) } : {}),
          selected: isChosen(option),
          choose: () => void choose(kind.multi ? (isChosen(option) ? chosen.filter((candidate) => candidate.value !== option.value) : [...chosen, option]) : [option]),
        });
      }
    }
    if (!groups.length) for (const option of options) items.push({ label: plainText(option.text), selected: isChosen(option), choose: () => void choose(kind.multi ? [...chosen, option] : [option]) });
    menu.show(items, hint ?? (items.length ? undefined : "No matches"));
  }

  /** @param {SlackOption[]} next */
  async function choose(next) {
    const max = typeof element.max_selected_items === "number" ? element.max_selected_items : Infinity;
    if (next.length > max) return;
    if (element.confirm && !(await ctx.confirm(element.confirm))) return;
    chosen = next;
    if (kind.multi) {
      search.value = "";
      void showOptions("");
    } else {
      menu.close();
      search.blur();
    }
    paint();
    ctx.act({ kind: "input", actionId: element.action_id ?? "", blockId: block.block_id, value: inputValue(kind, chosen) });
  }

  search.addEventListener("focus", () => {
    if (!kind.multi) search.value = "";
    void showOptions("");
  });
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void showOptions(search.value), kind.source === "external" ? SUGGEST_DELAY_MS : 0);
  });
  search.addEventListener("blur", () => {
    menu.close();
    paint();
  });
  paint();
  return root;
}

/**
 * @param {OptionSource} source
 * @param {Record<string, any>} state
 * @param {import("../types.js").SurfaceContext} ctx
 * @returns {SlackOption[]}
 */
function chosenFromState(source, state, ctx) {
  if (source === "users") {
    const ids = state.selected_users ?? (state.selected_user ? [state.selected_user] : []);
    return ids.map((/** @type {string} */ id) => userOption(id, ctx.nameOf(id) ?? id));
  }
  return state.selected_options?.length ? state.selected_options : state.selected_option ? [state.selected_option] : [];
}

/**
 * What the workspace simulator takes: option values (static), option objects (external: any value the
 * bot offered) or user ids.
 * @param {{ source: OptionSource, multi: boolean }} kind
 * @param {SlackOption[]} chosen
 */
function inputValue(kind, chosen) {
  const values = kind.source === "external" ? chosen : chosen.map((option) => option.value);
  return kind.multi ? values : (values[0] ?? null);
}

/**
 * @param {OptionSource} source
 * @param {import("../types.js").BlockElement} element
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").SurfaceContext} ctx
 * @param {string} typed
 * @returns {Promise<{ options: SlackOption[], groups: { label: string, options: SlackOption[] }[], hint?: string }>}
 */
async function optionsFor(source, element, block, ctx, typed) {
  const matches = (/** @type {SlackOption} */ option) => plainText(option.text).toLowerCase().includes(typed.toLowerCase());
  if (source === "users") {
    const people = ctx.people.map((person) => userOption(person.id, person.name));
    return { options: [], groups: [{ label: "", options: people.filter(matches) }] };
  }
  if (source === "static") {
    /** @type {{ label?: import("../types.js").TextObject, options?: SlackOption[] }[]} */
    const optionGroups = element.option_groups ?? [];
    const groups = optionGroups.length
      ? optionGroups.map((group) => ({ label: plainText(group.label), options: (group.options ?? []).filter(matches) })).filter((group) => group.options.length)
      : [{ label: "", options: /** @type {SlackOption[]} */ (element.options ?? []).filter(matches) }];
    return { options: [], groups };
  }
  const result = await ctx.suggest(element.action_id ?? "", block.block_id, typed);
  return { options: result.options, groups: [{ label: "", options: result.options }], ...(result.hint ? { hint: result.hint } : {}) };
}

/** @param {string} id @param {string} name @returns {SlackOption} */
function userOption(id, name) {
  return { text: { type: "plain_text", text: name }, value: id };
}
