// What an access request or grant is made of, checked the same way whichever surface typed it.
import { z } from "zod";
import { ENVIRONMENT_LEVELS, type EnvironmentLevel } from "../actor.js";
import { ValidationError } from "../errors.js";

/** Longest temporary access one request or grant may ask for (a permanent grant has no duration). */
export const MAX_ACCESS_HOURS = 90 * 24;

const durationPattern = /^(\d{1,4})\s*([hd])$/i;

/** "12h" or "7d" as hours; refuses anything else, zero, or more than MAX_ACCESS_HOURS. */
export function parseDurationHours(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (!match) throw new ValidationError(`"${text}" is not a duration: write it as hours or days, e.g. \`12h\` or \`7d\`.`);
  const hours = Number(match[1]) * (match[2]!.toLowerCase() === "d" ? 24 : 1);
  if (hours < 1 || hours > MAX_ACCESS_HOURS) throw new ValidationError(`Temporary access lasts from 1 hour to ${MAX_ACCESS_HOURS / 24} days.`);
  return hours;
}

export function parseLevel(text: string | undefined): EnvironmentLevel {
  const level = (text ?? "").toLowerCase();
  if (!(ENVIRONMENT_LEVELS as readonly string[]).includes(level)) throw new ValidationError(`Ask for one of ${ENVIRONMENT_LEVELS.join(", ")} (got "${text ?? ""}").`);
  return level as EnvironmentLevel;
}

export const justificationSchema = z
  .string()
  .trim()
  .min(5, "Say why you need the access (at least 5 characters).")
  .max(500, "Keep the justification under 500 characters.");

export const denialReasonSchema = z.string().trim().min(3, "Give the requester a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters.");

/** Reads a zod-checked text, turning its first problem into a ValidationError. */
export function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]!.message);
  return parsed.data;
}

/** "7 days", "12 hours", "until revoked". */
export function describeDuration(hours: number | null): string {
  if (hours === null) return "until revoked";
  if (hours % 24 === 0) return `${hours / 24} day${hours === 24 ? "" : "s"}`;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}
