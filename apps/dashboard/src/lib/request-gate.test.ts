import { describe, expect, it } from 'vitest';
import { createRequestGate } from './request-gate';

describe('createRequestGate', () => {
  it('runs at most `limit` tasks at once and starts the next one when a slot is released', () => {
    const gate = createRequestGate(2);
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd']) {
      gate.enter(0, (release) => {
        started.push(name);
        releases.set(name, release);
      });
    }
    expect(started).toEqual(['a', 'b']);
    expect(gate.stats()).toEqual({ active: 2, waiting: 2 });
    releases.get('b')!();
    expect(started).toEqual(['a', 'b', 'c']);
    // Releasing twice frees one slot only.
    releases.get('b')!();
    expect(gate.stats()).toEqual({ active: 2, waiting: 1 });
    releases.get('a')!();
    releases.get('c')!();
    releases.get('d')!();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.stats()).toEqual({ active: 0, waiting: 0 });
  });

  it('starts waiting tasks by priority, then in arrival order', () => {
    const gate = createRequestGate(1);
    const started: string[] = [];
    let release = () => {};
    const enter = (name: string, priority: number) =>
      gate.enter(priority, (r) => {
        started.push(name);
        release = r;
      });
    enter('first', 0);
    enter('verdict-1', 1);
    enter('forecast-1', 0);
    enter('verdict-2', 1);
    enter('forecast-2', 0);
    for (let i = 0; i < 4; i++) release();
    expect(started).toEqual(['first', 'forecast-1', 'forecast-2', 'verdict-1', 'verdict-2']);
  });

  it('drops a cancelled task that has not started', () => {
    const gate = createRequestGate(1);
    const started: string[] = [];
    let release = () => {};
    gate.enter(0, (r) => {
      started.push('a');
      release = r;
    });
    const b = gate.enter(0, () => started.push('b'));
    gate.enter(0, (r) => {
      started.push('c');
      release = r;
    });
    b.cancel();
    release();
    expect(started).toEqual(['a', 'c']);
    expect(gate.stats()).toEqual({ active: 1, waiting: 0 });
  });

  it('copes with tasks that end inside start (no recursion, every task runs)', () => {
    const gate = createRequestGate(1);
    let ran = 0;
    let releaseFirst = () => {};
    gate.enter(0, (release) => {
      releaseFirst = release;
    });
    for (let i = 0; i < 100_000; i++) {
      gate.enter(0, (release) => {
        ran++;
        release();
      });
    }
    expect(ran).toBe(0);
    // The queued tasks all run from this one release, in a loop rather than 100k nested calls.
    releaseFirst();
    expect(ran).toBe(100_000);
    expect(gate.stats()).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a limit below 1', () => {
    expect(() => createRequestGate(0)).toThrow(/limit >= 1/);
  });
});
