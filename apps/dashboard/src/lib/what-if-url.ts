import type { SegmentShape } from '@runcast/core';
import { COOLDOWN_SHAPES, WHAT_IF_KINDS, type WhatIfEdit, type WhatIfKind } from './build-what-if';

/**
 * The what-if panel's edit in the URL (`?whatif=`), so a reload or a shared link shows the same
 * what-if: "wsd,h24000,c18000,exp,f3e-05,at13440" = kind, horizon, cooldown start, cooldown shape,
 * final LR and the last observed step when the edit was made (the edit keeps it as the run goes on).
 * Peak and warmup are the plan's (the panel does not edit them).
 */
export interface WhatIfUrlState {
  edit: Pick<WhatIfEdit, 'kind' | 'horizon' | 'cooldownStart' | 'cooldownShape' | 'finalLr'>;
  observedUntil: number;
}

export function writeWhatIfParam(state: WhatIfUrlState): string {
  const { edit } = state;
  return [
    edit.kind,
    `h${Math.round(edit.horizon)}`,
    `c${Math.round(edit.cooldownStart)}`,
    edit.cooldownShape,
    `f${edit.finalLr}`,
    `at${Math.round(state.observedUntil)}`,
  ].join(',');
}

const MAX_STEP = 1e12;

function readStep(part: string | undefined, prefix: string): number | null {
  if (!part?.startsWith(prefix)) return null;
  const text = part.slice(prefix.length);
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_STEP ? n : null;
}

/** The edit kept in the URL, or null when absent or not one this panel wrote (then ignored). */
export function readWhatIfParam(param: string | null): WhatIfUrlState | null {
  if (!param) return null;
  const parts = param.split(',');
  if (parts.length !== 6) return null;
  const [kind, h, c, shape, f, at] = parts;
  if (!(WHAT_IF_KINDS as readonly string[]).includes(kind ?? '')) return null;
  if (!(COOLDOWN_SHAPES as readonly string[]).includes(shape ?? '')) return null;
  const horizon = readStep(h, 'h');
  const cooldownStart = readStep(c, 'c');
  const observedUntil = readStep(at, 'at');
  const finalText = f?.startsWith('f') ? f.slice(1) : '';
  const finalLr = finalText === '' ? Number.NaN : Number(finalText);
  if (horizon === null || horizon < 1 || cooldownStart === null || observedUntil === null)
    return null;
  if (!Number.isFinite(finalLr) || finalLr < 0 || finalLr > 10) return null;
  if (cooldownStart > horizon) return null;
  return {
    edit: {
      kind: kind as WhatIfKind,
      horizon,
      cooldownStart,
      cooldownShape: shape as SegmentShape,
      finalLr,
    },
    observedUntil,
  };
}
