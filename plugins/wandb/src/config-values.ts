import { STEP_UNIT_KEY, TRAINER_KEY } from '@runcast/core';
import { parseExtendedJson } from './extended-json';

export type ConfigObject = Record<string, unknown>;

/** W&B-internal config keys that are not the user's configuration. */
const INTERNAL_KEYS = new Set(['_wandb', 'wandb_version']);

/** config.yaml and Python-era config records wrap each value as {desc, value}; unwrap it. */
export function unwrapConfigValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value) {
    const keys = Object.keys(value);
    if (keys.every((k) => k === 'value' || k === 'desc'))
      return (value as { value: unknown }).value;
  }
  return value;
}

export function readConfigJson(valueJson: string): unknown {
  try {
    return unwrapConfigValue(parseExtendedJson(valueJson));
  } catch {
    return valueJson;
  }
}

/** Sets `value` at a nested key path, creating objects on the way; internal keys are ignored. */
export function setConfigPath(config: ConfigObject, path: string[], value: unknown): void {
  if (path.length === 0 || INTERNAL_KEYS.has(path[0]!)) return;
  let node = config;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
    node = node[segment] as ConfigObject;
  }
  node[path.at(-1)!] = value;
}

export function deleteConfigPath(config: ConfigObject, path: string[]): void {
  let node: unknown = config;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as ConfigObject)[segment];
  }
  if (node !== null && typeof node === 'object' && path.length > 0) {
    delete (node as ConfigObject)[path.at(-1)!];
  }
}

/** A whole config file's object with wrappers removed and internal keys dropped. */
export function cleanConfigObject(raw: unknown): ConfigObject {
  const config: ConfigObject = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return config;
  for (const [key, value] of Object.entries(raw))
    setConfigPath(config, [key], unwrapConfigValue(value));
  return withTrainer(config);
}

/**
 * The config with the trainer that wrote it (`runcast/trainer`) when it says: HF Trainer's
 * WandbCallback logs its TrainingArguments as the run config (per_device_train_batch_size,
 * lr_scheduler_type...), so a forecast without a logged LR uses HF's schedule. YOLOv5's and
 * Ultralytics' W&B loggers log their training options (`epochs`, `imgsz`, the `hyp` dict or
 * `lr0`) and one history row per epoch: the stated `epochs` is then the plan in steps.
 */
export function withTrainer(config: ConfigObject): ConfigObject {
  if (config[TRAINER_KEY] !== undefined) return config;
  const hf = 'per_device_train_batch_size' in config && 'lr_scheduler_type' in config;
  if (hf) return { ...config, [TRAINER_KEY]: 'hf-trainer' };
  const yolo =
    typeof config.epochs === 'number' &&
    ('imgsz' in config || 'img_size' in config) &&
    ('lr0' in config || (typeof config.hyp === 'object' && config.hyp !== null));
  return yolo ? { ...config, [TRAINER_KEY]: 'ultralytics', [STEP_UNIT_KEY]: 'epoch' } : config;
}
