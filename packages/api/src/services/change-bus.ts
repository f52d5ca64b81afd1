/**
 * Wakes live subscribers as soon as this process writes (push, ingest, demo); writes by other
 * processes are seen by polling the events table.
 */
export function createChangeBus() {
  const waiters = new Set<() => void>();
  return {
    notify(): void {
      for (const wake of [...waiters]) wake();
    },
    /** Resolves on the next notify(), after `ms`, or when `signal` aborts. */
    wait(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}

export type ChangeBus = ReturnType<typeof createChangeBus>;
