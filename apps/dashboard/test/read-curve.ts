// Test support: reads real curves from ../shared/data (tests only; never committed into the repo).
// biome-ignore lint/style/noRestrictedImports: test code reads fixture files; the app never does.
import { readFileSync } from 'node:fs';

export interface SharedCurve {
  id: string;
  group: string;
  model: { params?: number; tokens_per_step?: number };
  schedule: {
    kind: string;
    peak_lr: number;
    warmup_steps: number;
    total_steps: number;
    decay_steps: number;
    final_lr: number;
    segments: Array<{ start: number; end: number; shape: string; from: number; to?: number }>;
  };
  points: Array<[number, number, number]>;
  loss_kind: 'val' | 'train';
}

export const CURVES_DIR = new URL('../../../../shared/data/curves/', import.meta.url);

export function readCurve(id: string): SharedCurve {
  return JSON.parse(readFileSync(new URL(`${id}.json`, CURVES_DIR), 'utf8')) as SharedCurve;
}

export const WSD_CURVE = 'epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T12500';
export const CONSTANT_CURVE = 'mpl-100M-constant_24000';
