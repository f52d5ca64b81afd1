import { resolve } from 'node:path';

/** The tail of each path's queue: a new holder waits for it. */
const tails = new Map<string, Promise<void>>();

/**
 * Waits until no one else in this process holds `path`, then holds it; the returned release()
 * (idempotent) lets the next waiter in. Serialises ingests of one file (watcher, CLI, API push
 * of the same path) so two passes never plan from the same saved offset at once.
 */
export async function acquirePathLock(path: string): Promise<() => void> {
  const key = resolve(path);
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const tail = previous.then(() => held);
  tails.set(key, tail);
  await previous;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
}
