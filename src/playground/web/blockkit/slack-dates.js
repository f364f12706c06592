// <!date^1700000000^{date_short_pretty} {time}|fallback>: Slack shows the time in the reader's own
// zone. Tokens: https://api.slack.com/reference/surfaces/formatting#date-formatting

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * @param {number} seconds Unix time
 * @param {string} format e.g. "{date_short_pretty} at {time}"
 * @param {Date} [now]
 */
export function formatSlackDate(seconds, format, now = new Date()) {
  const date = new Date(seconds * 1000);
  return format.replace(/\{([a-z_]+)\}/g, (whole, token) => formatToken(date, token, now) ?? whole);
}

/** @param {Date} date @param {string} token @param {Date} now @returns {string | undefined} */
function formatToken(date, token, now) {
  const locale = "en-US";
  const month = (/** @type {"long" | "short"} */ style) => date.toLocaleDateString(locale, { month: style });
  const dayOrdinal = ordinal(date.getDate());
  const longDate = `${month("long")} ${dayOrdinal}, ${date.getFullYear()}`;
  const shortDate = `${month("short")} ${date.getDate()}, ${date.getFullYear()}`;
  const weekday = date.toLocaleDateString(locale, { weekday: "long" });
  switch (token) {
    case "date_num": return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    case "date": return longDate;
    case "date_short": return shortDate;
    case "date_long": return `${weekday}, ${longDate}`;
    case "date_pretty": return relativeDay(date, now) ?? longDate;
    case "date_short_pretty": return relativeDay(date, now) ?? shortDate;
    case "date_long_pretty": return relativeDay(date, now) ?? `${weekday}, ${longDate}`;
    case "time": return date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
    case "time_secs": return date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit", second: "2-digit" });
    case "ago": return ago(date, now);
    default: return undefined;
  }
}

/** @param {Date} date @param {Date} now */
function relativeDay(date, now) {
  const startOf = (/** @type {Date} */ day) => new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const days = Math.round((startOf(date) - startOf(now)) / DAY_MS);
  return days === 0 ? "Today" : days === -1 ? "Yesterday" : days === 1 ? "Tomorrow" : undefined;
}

/** @param {Date} date @param {Date} now */
function ago(date, now) {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [abs, "second"] : abs < 3600 ? [Math.floor(abs / 60), "minute"] : abs < 86400 ? [Math.floor(abs / 3600), "hour"] : [Math.floor(abs / 86400), "day"];
  const text = `${value} ${unit}${value === 1 ? "" : "s"}`;
  return future ? `in ${text}` : `${text} ago`;
}

/** @param {number} day */
function ordinal(day) {
  const suffix = day % 10 === 1 && day !== 11 ? "st" : day % 10 === 2 && day !== 12 ? "nd" : day % 10 === 3 && day !== 13 ? "rd" : "th";
  return `${day}${suffix}`;
}

/** @param {number} value */
function pad(value) {
  return String(value).padStart(2, "0");
}
