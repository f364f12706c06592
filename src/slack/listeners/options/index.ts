import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as vmPicker from "./vm-picker.js";

export function register(app: App, deps: SlackDeps): void {
  vmPicker.register(app, deps);
}
