/**
 * At most `limit` tasks at once; waiting ones start by priority (lower first), then in the order
 * they came. The dashboard's model fits (forecasts, verdicts) go through one gate so a page with
 * dozens of rows never floods the server's fit queue (which answers 429 when full) and the
 * forecasts of the rows on screen start before the slower verdicts.
 */
export interface RequestGate {
  /**
   * Queues a task; `start` runs when a slot is free and gets `release` (idempotent) to call
   * when the task ends. `cancel()` drops a task that has not started (no effect once started).
   */
  enter(priority: number, start: (release: () => void) => void): { cancel(): void };
  stats(): { active: number; waiting: number };
}

interface Waiting {
  priority: number;
  seq: number;
  start: (release: () => void) => void;
  state: 'waiting' | 'started' | 'cancelled';
}

const before = (a: Waiting, b: Waiting) =>
  a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);

/** A binary min-heap of tasks (cancelled ones are skipped when they come out). */
function createHeap() {
  const items: Waiting[] = [];
  return {
    get size() {
      return items.length;
    },
    push(task: Waiting): void {
      items.push(task);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(items[i]!, items[parent]!)) break;
        [items[i], items[parent]] = [items[parent]!, items[i]!];
        i = parent;
      }
    },
    pop(): Waiting | undefined {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0 && last) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < items.length && before(items[l]!, items[m]!)) m = l;
          if (r < items.length && before(items[r]!, items[m]!)) m = r;
          if (m === i) break;
          [items[i], items[m]] = [items[m]!, items[i]!];
          i = m;
        }
      }
      return top;
    },
  };
}

export function createRequestGate(limit: number): RequestGate {
  if (!(limit >= 1)) throw new Error(`a request gate needs a limit >= 1, got ${limit}`);
  let active = 0;
  let seq = 0;
  let waitingCount = 0;
  let pumping = false;
  const heap = createHeap();

  function pump(): void {
    // A task that ends synchronously in `start` releases inside this loop: no recursion.
    if (pumping) return;
    pumping = true;
    try {
      while (active < limit && heap.size > 0) {
        const task = heap.pop()!;
        if (task.state === 'cancelled') continue;
        task.state = 'started';
        waitingCount--;
        active++;
        let released = false;
        task.start(() => {
          if (released) return;
          released = true;
          active--;
          pump();
        });
      }
    } finally {
      pumping = false;
    }
  }

  return {
    enter(priority, start) {
      const task: Waiting = { priority, seq: seq++, start, state: 'waiting' };
      heap.push(task);
      waitingCount++;
      pump();
      return {
        cancel() {
          if (task.state !== 'waiting') return;
          task.state = 'cancelled';
          waitingCount--;
        },
      };
    },
    stats: () => ({ active, waiting: waitingCount }),
  };
}
