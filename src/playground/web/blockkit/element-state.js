// An element's current value on a surface: what this user entered, else what the bot set as initial.

/**
 * @param {import("../types.js").SurfaceContext} ctx
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").BlockElement} element
 * @returns {Record<string, any>} Slack's state value shape, e.g. { selected_options: [...] }
 */
export function currentState(ctx, block, element) {
  const entered = block.block_id && element.action_id ? ctx.stateValues[block.block_id]?.[element.action_id] : undefined;
  if (entered && entered.type === element.type) return entered;
  return {
    selected_option: element.initial_option ?? null,
    selected_options: element.initial_options ?? [],
    selected_user: element.initial_user ?? null,
    selected_users: element.initial_users ?? [],
    selected_date: element.initial_date ?? null,
    selected_time: element.initial_time ?? null,
    value: element.initial_value ?? null,
  };
}

/**
 * The identifiers every interactive element carries in the DOM (tests and the modal's submit read them).
 * @param {import("../types.js").Block} block
 * @param {import("../types.js").BlockElement} element
 */
export function elementData(block, element) {
  return { actionId: element.action_id ?? "", blockId: block.block_id ?? "", elementType: element.type };
}
