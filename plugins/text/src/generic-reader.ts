import { type Pair, readPairs, seriesName } from './pairs';

/**
 * Counters a line can carry, most specific first: the file's step comes from the first of these
 * its first metric lines have (step/iter/iteration/global_step/batch), else from the epoch.
 */
const COUNTERS = [
  'global_step',
  '_step',
  'step',
  'iteration',
  'iter',
  'it',
  'batch',
  'epoch',
  'ep',
];
const EPOCH_COUNTERS = new Set(['epoch', 'ep']);
/** `Epoch [3/300]`, `epoch 3/300`, `Step: 120`, `iter 120:`, `ep: 0`, `batch=20` (the key as a word). */
const COUNTER = new RegExp(
  String.raw`(?:^|(?<=[\s,|\[(]))(${COUNTERS.join('|')})\b\s*[:=]?\s*\[?\s*(\d+)\s*(?:\/\s*(\d+))?\s*\]?(?:\s*:)?(?=$|[\s,;|)\]])`,
  'gi',
);
/** Leading noise: timestamps, log levels, rank prefixes and bracketed tags (`[train]`). */
const PREFIXES = [
  /^\s*\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\s*[-|:]?\s*/,
  /^\s*\d\d:\d\d:\d\d(?:[.,]\d+)?\s*[-|:]?\s*/,
  /^\s*(?:INFO|DEBUG|WARNING|WARN|ERROR|CRITICAL)\b\s*[-|:]?\s*/i,
  /^\s*\[(?!\s*\d+\s*\/)[^\]]{0,40}\]\s*:?\s*/,
];

/**
 * `Epoch: [3]  [ 120/1251]` (torchvision/DETR/DeiT/MAE MetricLogger: the header, then the batch
 * and the batches per epoch in a bare bracket) and `Epoch [3][120/1251]` (mmcv's text logger):
 * an epoch counter, optionally `[e/E]`, then `[i/N]`.
 */
const EPOCH_BATCH =
  /(?:^|(?<=[\s|]))epoch\b\s*:?\s*\[\s*(\d+)\s*(?:\/\s*(\d+)\s*)?\]\s*\[\s*(\d+)\s*\/\s*(\d+)\s*\]/i;

/** What the generic reader learned about a file so far (part of the text plugin's state). */
export interface GenericState {
  /**
   * The counter the file's steps come from, once a metric line fixed it (`epoch-batch`: an
   * epoch with the batch of N in it, see EPOCH_BATCH).
   */
  stepKey: string | null;
  /** The first epoch an `epoch-batch` file printed (0 or 1): steps count from it. */
  epochBase?: number;
  /** batch counters restart each epoch: the global step is offset + batch. */
  epoch: number | null;
  offset: number;
  lastBatch: number;
  batchGap: number;
  /** The last step read (epoch summary lines of a step-based log land there). */
  lastStep: number | null;
}

export function createGenericState(): GenericState {
  return { stepKey: null, epoch: null, offset: 0, lastBatch: -1, batchGap: 1, lastStep: null };
}

export interface GenericLine {
  step: number;
  metrics: Record<string, number>;
  bad: { field: string; raw: string }[];
  /** A total printed with the step counter (`[3/300]`): the plan, in steps or epochs. */
  plan?: { key: string; value: number; unit: 'steps' | 'epochs' };
  stepUnit: 'steps' | 'epoch';
}

function stripPrefixes(line: string): string {
  let text = line;
  for (let again = true; again; ) {
    again = false;
    for (const prefix of PREFIXES) {
      const m = prefix.exec(text);
      if (m && m[0].length > 0) {
        text = text.slice(m[0].length);
        again = true;
      }
    }
  }
  return text;
}

interface Counter {
  key: string;
  value: number;
  total?: number;
}

function readCounters(text: string): { counters: Map<string, Counter>; rest: string } {
  const counters = new Map<string, Counter>();
  const rest = text.replace(COUNTER, (whole, key: string, value: string, total?: string) => {
    const name = key.toLowerCase();
    if (counters.has(name)) return whole;
    const counter: Counter = { key: name, value: Number(value) };
    if (total !== undefined) counter.total = Number(total);
    counters.set(name, counter);
    return ' ';
  });
  return { counters, rest };
}

function pickStepKey(counters: Map<string, Counter>): string | undefined {
  return COUNTERS.find((k) => counters.has(k));
}

/**
 * Reads one line of a log no preset knows: counters (step/iter/batch/epoch, with an optional
 * `/total`) and `key: number` / `key=number` pairs, series named from the keys as written
 * (lower-cased, spaces to `_`). Returns undefined for a line that is not a metric line.
 * `state` is updated in place (the caller keeps a copy per chunk).
 */
export function readGenericLine(line: string, state: GenericState): GenericLine | undefined {
  const text = stripPrefixes(line);
  if (state.stepKey === null || state.stepKey === 'epoch-batch') {
    const read = readEpochBatchLine(text, state);
    if (read) return read;
  }
  const { counters, rest } = readCounters(text);
  if (counters.size === 0) return undefined;
  const pairs = readPairs(rest).filter((p) => !COUNTERS.includes(seriesName(p)));
  const metrics: Record<string, number> = Object.create(null);
  const bad: { field: string; raw: string }[] = [];
  for (const pair of pairs) addPair(metrics, bad, pair);
  if (Object.keys(metrics).length === 0) return undefined;
  state.stepKey ??= pickStepKey(counters) ?? null;
  const stepKey = state.stepKey!;
  const epoch = counters.get('epoch') ?? counters.get('ep');
  let step: number;
  const own = counters.get(stepKey) ?? (EPOCH_COUNTERS.has(stepKey) ? epoch : undefined);
  if (own) step = stepOf(own, epoch, state);
  else if (state.lastStep !== null) step = state.lastStep;
  else return undefined;
  state.lastStep = step;
  const stepUnit = EPOCH_COUNTERS.has(stepKey) ? 'epoch' : 'steps';
  if (epoch && stepUnit === 'steps') metrics.epoch = epoch.value;
  const result: GenericLine = { step, metrics, bad, stepUnit };
  if (own?.total !== undefined && own.total > 0) {
    const unit = stepUnit === 'epoch' ? 'epochs' : 'steps';
    result.plan = { key: `${own.key} N/T`, value: own.total, unit };
  } else if (epoch?.total !== undefined && epoch.total > 0) {
    result.plan = { key: `${epoch.key} N/T`, value: epoch.total, unit: 'epochs' };
  }
  return result;
}

/**
 * A MetricLogger / mmcv line (EPOCH_BATCH): the step is the batches done since the file's first
 * epoch, (epoch - first) * N + batch; the epoch goes with the metrics (steps per epoch for a plan
 * stated in epochs), `[e/E]` states the plan.
 */
function readEpochBatchLine(text: string, state: GenericState): GenericLine | undefined {
  const m = EPOCH_BATCH.exec(text);
  if (!m) return undefined;
  const epoch = Number(m[1]);
  const batch = Number(m[3]);
  const batches = Number(m[4]);
  if (!(batches > 0)) return undefined;
  const rest = text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length);
  const metrics: Record<string, number> = Object.create(null);
  const bad: { field: string; raw: string }[] = [];
  for (const pair of readPairs(rest)) addPair(metrics, bad, pair);
  if (Object.keys(metrics).length === 0) return undefined;
  state.stepKey = 'epoch-batch';
  state.epochBase ??= epoch;
  const step = Math.max(0, epoch - state.epochBase) * batches + batch;
  state.lastStep = step;
  metrics.epoch = epoch;
  const result: GenericLine = { step, metrics, bad, stepUnit: 'steps' };
  const epochs = m[2] === undefined ? 0 : Number(m[2]);
  if (epochs > 0) result.plan = { key: 'epoch [e/E]', value: epochs, unit: 'epochs' };
  return result;
}

/** The global step: a batch counter that restarts each epoch continues after the last epoch's. */
function stepOf(own: Counter, epoch: Counter | undefined, state: GenericState): number {
  if (own.key !== 'batch' || !epoch) return own.value;
  if (state.epoch !== null && epoch.value !== state.epoch && own.value <= state.lastBatch) {
    state.offset += state.lastBatch + state.batchGap;
  } else if (state.lastBatch >= 0 && own.value > state.lastBatch) {
    state.batchGap = own.value - state.lastBatch;
  }
  state.epoch = epoch.value;
  state.lastBatch = own.value;
  return state.offset + own.value;
}

function addPair(
  metrics: Record<string, number>,
  bad: { field: string; raw: string }[],
  pair: Pair,
): void {
  const key = seriesName(pair);
  if (key in metrics) return;
  if (pair.value === undefined) bad.push({ field: key, raw: pair.raw });
  else metrics[key] = pair.value;
}
