// Reading Web API arguments that may arrive form-encoded (all strings) or as JSON (real types).
import { asString, type JsonObject } from "../json-types.js";

export function stringArg(args: JsonObject, name: string): string | undefined {
  const value = asString(args[name]);
  return value === "" ? undefined : value;
}
