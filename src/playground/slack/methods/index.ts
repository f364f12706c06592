// Every Web API method the stand-in implements with real state.
import { appsMethods } from "./apps-methods.js";
import { chatMethods } from "./chat-methods.js";
import { filesMethods } from "./files-methods.js";
import { identityMethods } from "./identity-methods.js";
import type { MethodTable } from "./method-types.js";
import { viewsMethods } from "./views-methods.js";

export const IMPLEMENTED_METHODS: MethodTable = { ...chatMethods, ...viewsMethods, ...identityMethods, ...filesMethods, ...appsMethods };
