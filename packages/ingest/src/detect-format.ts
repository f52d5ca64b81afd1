import { open } from 'node:fs/promises';
import { RuncastError } from '@runcast/core';
import type { AnyPlugin } from './types';

/** Bytes of a file shown to plugins' detect(). */
export const HEAD_BYTES = 64 * 1024;

export interface DetectResult {
  plugin: AnyPlugin | null;
  confidence: number;
  /** Names of the plugins asked. */
  tried: string[];
  /** Why no plugin was chosen. */
  message?: string;
}

/** The first `HEAD_BYTES` (or fewer) bytes of a file. */
export async function readHead(path: string): Promise<Uint8Array> {
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    let filled = 0;
    while (filled < HEAD_BYTES) {
      const { bytesRead } = await fd.read(buf, filled, HEAD_BYTES - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await fd.close();
  }
}

/** The plugin named `format`; throws INVALID_INPUT naming the available ones. */
export function findPlugin(plugins: readonly AnyPlugin[], format: string): AnyPlugin {
  const plugin = plugins.find((p) => p.meta.name === format);
  if (!plugin) {
    throw new RuncastError(
      'INVALID_INPUT',
      `unknown format "${format}" (available: ${plugins.map((p) => p.meta.name).join(', ')})`,
      { where: { field: 'format' } },
    );
  }
  return plugin;
}

/**
 * Picks the plugin for a file: the one named by `format` when given (and not 'auto'), else the
 * one whose detect(path, head) is most confident (> 0). A detect() that throws counts as 0.
 */
export async function detectFormat(options: {
  path: string;
  plugins: readonly AnyPlugin[];
  head?: Uint8Array;
  format?: string;
}): Promise<DetectResult> {
  const tried = options.plugins.map((p) => p.meta.name);
  if (options.format && options.format !== 'auto') {
    return { plugin: findPlugin(options.plugins, options.format), confidence: 1, tried };
  }
  const head = options.head ?? (await readHead(options.path));
  let best: AnyPlugin | null = null;
  let bestScore = 0;
  for (const plugin of options.plugins) {
    let score = 0;
    try {
      score = plugin.detect(options.path, head);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = plugin;
      bestScore = score;
    }
  }
  if (best) return { plugin: best, confidence: bestScore, tried };
  return {
    plugin: null,
    confidence: 0,
    tried,
    message: `no plugin recognises ${options.path} (tried: ${tried.join(', ')})`,
  };
}
