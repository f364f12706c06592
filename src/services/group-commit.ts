// Group commit: writes asked for in the same turn of the event loop go to the database as one statement,
// and each caller's promise settles only when its own item is written. Nothing is held back in memory
// past the flush (a crash loses no acknowledged write); under concurrency N writes cost one round trip.
export interface GroupCommit<Item> {
  write(item: Item): Promise<void>;
}

interface Pending<Item> {
  item: Item;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * `writeAll` writes a batch in one go; when it fails, each item is retried alone with `writeOne`, so
 * one bad item (a row whose VM was just deleted, say) fails its own caller and no one else's.
 */
export function createGroupCommit<Item>(writeAll: (items: Item[]) => Promise<void>, writeOne: (item: Item) => Promise<void>): GroupCommit<Item> {
  let queue: Pending<Item>[] = [];

  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    if (batch.length === 1) return settle(batch[0]!, writeOne(batch[0]!.item));
    try {
      await writeAll(batch.map((pending) => pending.item));
      for (const pending of batch) pending.resolve();
    } catch {
      await Promise.all(batch.map((pending) => settle(pending, writeOne(pending.item))));
    }
  }

  async function settle(pending: Pending<Item>, written: Promise<void>): Promise<void> {
    try {
      await written;
      pending.resolve();
    } catch (error) {
      pending.reject(error);
    }
  }

  return {
    write(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // setImmediate: every request the event loop is handling now gets its entry into this batch.
        if (queue.length === 1) setImmediate(() => void flush());
      });
    },
  };
}
