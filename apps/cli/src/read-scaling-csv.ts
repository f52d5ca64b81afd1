import { readFileSync } from 'node:fs';
import { UsageError } from './exit-codes';

const ALIASES: Record<'N' | 'D' | 'loss', string[]> = {
  N: ['n', 'params', 'model_size_params', 'parameters', 'model_size'],
  D: ['d', 'tokens', 'training_tokens', 'data', 'data_size'],
  loss: ['loss', 'final_loss', 'l'],
};

/** Reads (N, D, loss) rows from a CSV with a header (aliases: params/model_size_params, tokens/training_tokens). */
export function readScalingCsv(path: string): { N: number; D: number; loss: number }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines[0] ?? '')
    .split(',')
    .map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const column = (name: keyof typeof ALIASES): number => {
    const i = header.findIndex((h) => ALIASES[name].includes(h));
    if (i < 0)
      throw new UsageError(`${path}: no ${name} column (accepted: ${ALIASES[name].join(', ')})`);
    return i;
  };
  const iN = column('N');
  const iD = column('D');
  const iL = column('loss');
  return lines.slice(1).map((line, k) => {
    const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const row = { N: Number(cells[iN]), D: Number(cells[iD]), loss: Number(cells[iL]) };
    for (const [field, value] of Object.entries(row)) {
      if (!(Number.isFinite(value) && value > 0)) {
        throw new UsageError(
          `${path}:${k + 2}: ${field} is not a positive number ("${cells[field === 'N' ? iN : field === 'D' ? iD : iL] ?? ''}")`,
        );
      }
    }
    return row;
  });
}
