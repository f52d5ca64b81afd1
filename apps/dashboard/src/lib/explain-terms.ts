// Plain words for the terms the views use (model names, P(beats best)), shown in place.

export interface Explained {
  /** A few words, shown next to the term. */
  short: string;
  /** One or two sentences, on hover. */
  long: string;
}

const MODELS: Record<string, Explained> = {
  'mpl-group': {
    short: 'multi-power law, shape learned from finished runs of its group',
    long: 'Multi-Power Law (Luo et al. 2025) whose curve shape is shared with the finished runs of the same group; this run only sets its own level. Best for young runs with finished siblings.',
  },
  mpl: {
    short: 'multi-power law fitted to this run alone',
    long: 'Multi-Power Law (Luo et al. 2025): loss as a function of the learning-rate schedule, fitted to this run only.',
  },
  mtl: {
    short: 'LR-annealing law fitted to this run alone',
    long: 'The learning-rate annealing (multi-term) law of Tissue et al. 2024: loss from the sum of learning rates so far plus an annealing term, fitted to this run only.',
  },
  power: {
    short: 'schedule-blind power law',
    long: 'A power law in steps, ignoring the learning-rate schedule (a fallback when the schedule is unknown).',
  },
};

/** What a forecast model name means. */
export function explainModel(model: string): Explained {
  return (
    MODELS[model] ?? {
      short: 'forecast model',
      long: `The forecast model "${model}".`,
    }
  );
}

export const P_BEATS_BEST: Explained = {
  short: 'chance this run ends below the best other run of its group (or project)',
  long: 'The probability that this run’s final loss ends below the lowest final loss among the other runs of its group (or project when it has none): finished runs by their result, running ones by their forecast.',
};
