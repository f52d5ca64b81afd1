export * from './decidable-at-step';
export * from './decide-stop';
export * from './error-correlation';
export * from './fit-width-exponent';
export * from './normal';
export * from './probabilities';
export * from './verdict';
export * from './verdict-matrix';
