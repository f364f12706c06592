// A clock tests move by hand; its sleep advances time instead of waiting.
export interface TestClock {
  now: () => Date;
  advance: (ms: number) => void;
  sleep: (ms: number) => Promise<void>;
}

export function testClock(start = new Date("2025-03-03T09:00:00.000Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    sleep: async (ms) => {
      current += ms;
    },
  };
}

/** A random source that replays the given values, then repeats the last one. */
export function scriptedRandom(...values: number[]): () => number {
  let index = 0;
  return () => values[Math.min(index++, values.length - 1)] ?? 0.5;
}
