// Slack's hard limits for Block Kit, in one place, with the helpers that keep every surface inside them.
// https://api.slack.com/reference/block-kit (blocks, elements, composition objects), surfaces.

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  blocksPerHome: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  checkboxOptions: 10,
  selectOptions: 100,
  externalSelectOptions: 100,
  confirmTitle: 100,
  confirmText: 300,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  messageText: 40000,
  inputLabel: 2000,
  placeholder: 150,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Splits items into chunks of `size` (e.g. options into checkbox groups of 10). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** Packs lines into as few texts of at most `max` characters as possible (one section each); over-long lines are cut. */
export function packLines(lines: readonly string[], max: number = LIMITS.sectionText): string[] {
  const texts: string[] = [];
  let current = "";
  for (const line of lines.map((text) => truncate(text, max))) {
    if (current && current.length + 1 + line.length > max) {
      texts.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) texts.push(current);
  return texts;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack date formatting: renders in each reader's own time zone, with a fallback for old clients. */
export function slackDate(date: Date, format = "{date_short_pretty} {time}"): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^${format}|${date.toISOString().slice(0, 16).replace("T", " ")} UTC>`;
}
