// Block Kit the bot does not send (yet), for checking that the playground renders every element
// family: posted straight through the Web API stand-in, as any app could.
export const KITCHEN_SINK_BLOCKS = [
  { type: "header", text: { type: "plain_text", text: "Kitchen sink :rocket:" } },
  {
    type: "section",
    block_id: "ks_text",
    text: { type: "mrkdwn", text: "*bold* _italic_ ~strike~ `code` <https://example.com|a link> <@U0DEMOOPS1> <!here> <!date^1700000000^{date_num}|fallback> :large_green_circle: &lt;escaped&gt;\n> a quote\n```a\ncode block```" },
    accessory: { type: "overflow", action_id: "ks_overflow", options: [{ text: { type: "plain_text", text: "Edit" }, value: "edit" }, { text: { type: "plain_text", text: "Delete" }, value: "delete" }] },
  },
  { type: "section", block_id: "ks_fields", fields: [{ type: "mrkdwn", text: "*Field one*\nvalue 1" }, { type: "plain_text", text: "Field two" }] },
  { type: "context", elements: [{ type: "image", image_url: "https://example.invalid/x.png", alt_text: "an image" }, { type: "mrkdwn", text: "context _text_" }] },
  { type: "image", image_url: "https://example.invalid/big.png", alt_text: "a big image", title: { type: "plain_text", text: "An image block" } },
  { type: "divider" },
  {
    type: "actions",
    block_id: "ks_actions",
    elements: [
      { type: "static_select", action_id: "ks_static", placeholder: { type: "plain_text", text: "Static" }, option_groups: [{ label: { type: "plain_text", text: "Group A" }, options: [{ text: { type: "plain_text", text: "alpha" }, value: "a" }] }, { label: { type: "plain_text", text: "Group B" }, options: [{ text: { type: "plain_text", text: "beta" }, value: "b" }] }] },
      { type: "users_select", action_id: "ks_user", placeholder: { type: "plain_text", text: "Pick a person" } },
      { type: "datepicker", action_id: "ks_date", initial_date: "2026-11-22" },
      { type: "radio_buttons", action_id: "ks_radio", options: [{ text: { type: "plain_text", text: "One" }, value: "1" }, { text: { type: "mrkdwn", text: "*Two*" }, value: "2", description: { type: "plain_text", text: "the second" } }], initial_option: { text: { type: "plain_text", text: "One" }, value: "1" } },
      { type: "button", action_id: "ks_danger", style: "danger", text: { type: "plain_text", text: "Danger" }, confirm: { title: { type: "plain_text", text: "Really?" }, text: { type: "mrkdwn", text: "This is *dangerous*." }, confirm: { type: "plain_text", text: "Do it" }, deny: { type: "plain_text", text: "Stop" }, style: "danger" } },
    ],
  },
];

export const KITCHEN_SINK_MODAL = {
  type: "modal",
  callback_id: "ks_modal",
  title: { type: "plain_text", text: "Kitchen sink" },
  submit: { type: "plain_text", text: "Save" },
  close: { type: "plain_text", text: "Cancel" },
  blocks: [
    { type: "input", block_id: "ks_name", label: { type: "plain_text", text: "Name" }, hint: { type: "plain_text", text: "A hint" }, element: { type: "plain_text_input", action_id: "name", multiline: true } },
    { type: "input", block_id: "ks_people", optional: true, label: { type: "plain_text", text: "People" }, element: { type: "multi_users_select", action_id: "people" } },
    { type: "input", block_id: "ks_vm", optional: true, label: { type: "plain_text", text: "VM" }, element: { type: "external_select", action_id: "vm_list_pick", min_query_length: 1 } },
    { type: "input", block_id: "ks_boxes", optional: true, label: { type: "plain_text", text: "Boxes" }, element: { type: "checkboxes", action_id: "boxes", options: [{ text: { type: "plain_text", text: "Box" }, value: "box" }] } },
  ],
};
