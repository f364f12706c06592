// Random pieces of resource ids, drawn from an injected source so seeds and tests get stable ids.

export type RandomSource = () => number;

export function randomChars(random: RandomSource, length: number, alphabet: string): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)] ?? alphabet[0];
  return out;
}

export const randomHex = (random: RandomSource, length: number) => randomChars(random, length, "0123456789abcdef");

/** Lower-case letters and digits, safe in every provider's resource names. */
export const randomSlug = (random: RandomSource, length: number) =>
  randomChars(random, length, "abcdefghijklmnopqrstuvwxyz0123456789");

/** Provider-safe form of a user-chosen name: lower-case, dashes, at most 50 characters. */
export function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50);
  return slug || "snapshot";
}

/**
 * A small deterministic generator (mulberry32) seeded from a number or a string, for tests and the
 * demo seed: the same seed always yields the same ids and the same "random" failures.
 */
export function seededRandom(seed: number | string): RandomSource {
  let state = typeof seed === "number" ? seed >>> 0 : hashString(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
