// Emoji shortcodes the bot uses (and a few common neighbours). Unknown codes stay as typed, as
// Slack shows a custom emoji it cannot find.

/** @type {Readonly<Record<string, string>>} */
const EMOJI = {
  large_green_circle: "🟢", large_yellow_circle: "🟡", large_orange_circle: "🟠", red_circle: "🔴",
  large_blue_circle: "🔵", white_circle: "⚪", black_circle: "⚫", arrows_counterclockwise: "🔄",
  grey_question: "❔", question: "❓", grey_exclamation: "❕", exclamation: "❗",
  white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌", warning: "⚠️", no_entry: "⛔", no_entry_sign: "🚫",
  hourglass_flowing_sand: "⏳", hourglass: "⌛", stopwatch: "⏱️", alarm_clock: "⏰", clock3: "🕒",
  wave: "👋", wastebasket: "🗑️", mag: "🔍", mag_right: "🔎", boom: "💥", camera: "📷", camera_with_flash: "📸",
  lock: "🔒", unlock: "🔓", key: "🔑", gear: "⚙️", wrench: "🔧", hammer_and_wrench: "🛠️", shield: "🛡️",
  clipboard: "📋", memo: "📝", page_facing_up: "📄", bar_chart: "📊", calendar: "📅", spiral_calendar_pad: "🗓️",
  inbox_tray: "📥", outbox_tray: "📤", package: "📦", floppy_disk: "💾", file_folder: "📁", link: "🔗",
  rocket: "🚀", bulb: "💡", information_source: "ℹ️", computer: "💻", desktop_computer: "🖥️", cloud: "☁️",
  robot_face: "🤖", bust_in_silhouette: "👤", busts_in_silhouette: "👥", eyes: "👀", tada: "🎉", zzz: "💤",
  fire: "🔥", sparkles: "✨", point_right: "👉", pushpin: "📌", arrow_right: "➡️", arrow_left: "⬅️",
  arrow_up: "⬆️", arrow_down: "⬇️", repeat: "🔁", recycle: "♻️", heavy_plus_sign: "➕", heavy_minus_sign: "➖",
  "+1": "👍", thumbsup: "👍", "-1": "👎", thumbsdown: "👎", star: "⭐", ok: "🆗", new: "🆕", sos: "🆘",
  stop_sign: "🛑", construction: "🚧", rotating_light: "🚨", bell: "🔔", no_bell: "🔕", speech_balloon: "💬",
  thinking_face: "🤔", slightly_smiling_face: "🙂", smile: "😄", crossed_fingers: "🤞", pray: "🙏",
  zap: "⚡", battery: "🔋", electric_plug: "🔌", satellite: "📡", globe_with_meridians: "🌐", label: "🏷️",
};

/** @param {string} name @returns {string | undefined} */
export function emojiFor(name) {
  return EMOJI[name.toLowerCase()];
}

/** Replaces :shortcodes: the map knows. @param {string} text */
export function replaceEmoji(text) {
  return String(text).replace(/:([a-z0-9_+-]+):/gi, (whole, name) => emojiFor(name) ?? whole);
}
