import { describe, expect, it } from 'vitest';
import { runNameFromPath } from './run-name';

describe('runNameFromPath', () => {
  it('the file stem, or the folder for a generic stem', () => {
    expect(runNameFromPath('/logs/ReadMe.txt')).toBe('ReadMe');
    expect(runNameFromPath('/logs/gpt2-124m/main.log')).toBe('main');
    expect(runNameFromPath('/logs/exp-7/train.log')).toBe('exp-7');
    expect(runNameFromPath('/logs/exp-7/Metrics.csv')).toBe('exp-7');
    expect(runNameFromPath('C:\\runs\\yolo\\results.csv')).toBe('yolo');
    expect(runNameFromPath('/a/events.out.tfevents.17.host')).toBe('events.out.tfevents.17');
  });

  it('a dot file keeps its name; a generic stem without a folder stays', () => {
    expect(runNameFromPath('/logs/.hidden')).toBe('.hidden');
    expect(runNameFromPath('log.txt')).toBe('log');
    expect(runNameFromPath('/')).toBe('/');
  });
});
