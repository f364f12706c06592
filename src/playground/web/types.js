// JSDoc shapes of what the playground server sends (see src/playground/server/state-snapshot.ts) and of
// the Block Kit JSON the page renders. Types only: nothing runs here.

/**
 * @typedef {{ id: string, name: string, demoRole: string, switchable: boolean }} Person
 * @typedef {{ type: "plain_text" | "mrkdwn", text: string, emoji?: boolean, verbatim?: boolean }} TextObject
 * @typedef {{ text: TextObject, value: string, description?: TextObject, url?: string }} SlackOption
 * @typedef {{ title?: TextObject, text?: TextObject, confirm?: TextObject, deny?: TextObject, style?: string }} ConfirmObject
 * @typedef {Record<string, any> & { type: string, block_id?: string }} Block
 * @typedef {Record<string, any> & { type: string, action_id?: string }} BlockElement
 * @typedef {Record<string, Record<string, Record<string, any>>>} StateValues
 *
 * @typedef {Object} SlackView
 * @property {string} id
 * @property {string} type
 * @property {string} hash
 * @property {TextObject | null} title
 * @property {TextObject | null} submit
 * @property {TextObject | null} close
 * @property {Block[]} blocks
 * @property {{ values: StateValues }} state
 * @property {string} callback_id
 *
 * @typedef {{ id: string, name: string, title: string, mimetype: string, size: number, created: number, downloadUrl: string }} FileSnapshot
 *
 * @typedef {Object} TimelineItem
 * @property {"message" | "ephemeral"} kind
 * @property {string} ts
 * @property {string} user
 * @property {string} text
 * @property {Block[]} blocks
 * @property {Record<string, any>[]} attachments
 * @property {FileSnapshot[]} files
 * @property {boolean} edited
 * @property {string} [threadTs]
 * @property {StateValues} stateValues
 *
 * @typedef {{ id: string, name: string, kind: "channel" | "dm", items: TimelineItem[] }} ConversationSnapshot
 *
 * @typedef {Object} Snapshot
 * @property {Person} me
 * @property {Person[]} people
 * @property {{ id: string, name: string }} bot
 * @property {{ id: string, name: string }} team
 * @property {ConversationSnapshot[]} conversations
 * @property {SlackView[]} modal
 * @property {SlackView | null} home
 * @property {FileSnapshot[]} files
 */

/**
 * Where an interaction happens, as the workspace simulator names it.
 * @typedef {{ channel: string, ts: string } | { viewId: string }} Target
 *
 * What a person did to one element.
 * @typedef {{ kind: "click" | "input", actionId: string, blockId?: string, value?: unknown }} ElementAction
 *
 * @typedef {Object} SuggestResult
 * @property {SlackOption[]} options
 * @property {string} [hint] Why nothing was asked yet (e.g. type more characters).
 *
 * Everything a Block Kit renderer needs from the surface it draws on.
 * @typedef {Object} SurfaceContext
 * @property {"message" | "modal" | "home"} surface
 * @property {StateValues} stateValues This user's entries (or initial values) on the surface.
 * @property {Record<string, string>} errors Field errors by block_id (modals).
 * @property {Person[]} people Who user pickers offer.
 * @property {(userId: string) => string | undefined} nameOf Display names for <@U…> mentions.
 * @property {(action: ElementAction) => void} act
 * @property {(actionId: string, blockId: string | undefined, typed: string) => Promise<SuggestResult>} suggest
 * @property {(confirm: ConfirmObject) => Promise<boolean>} confirm
 */

export {};
