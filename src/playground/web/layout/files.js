// Every file the bot uploaded (CSV exports ...), downloadable.
import { h } from "../dom.js";
import { renderFile } from "./message.js";

/** @param {import("../types.js").FileSnapshot[]} files */
export function renderFiles(files) {
  if (!files.length) return h("div", { className: "files-empty" }, "No files yet. Export the audit log (/vm audit, then Export CSV) to get one.");
  return h("div", { className: "files" }, [...files].reverse().map(renderFile));
}
