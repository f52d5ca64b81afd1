export {
  type BootstrapOptions,
  type BootstrapResult,
  bootstrapChinchilla,
  type ParamName as ScalingParamName,
} from './bootstrap-chinchilla';
export {
  type ChinchillaParams,
  evaluateChinchillaLoss,
  evaluateLogLossLse,
  huberLoss,
  type ScalingPoint,
} from './chinchilla-law';
export { type ComputeOptimal, computeOptimalAllocation } from './compute-optimal';
export {
  type ChinchillaFit,
  type FitChinchillaOptions,
  fitChinchilla,
  listGridStarts,
  type ScalingEstimator,
  type StartGrid,
  validateScalingPoints,
} from './fit-chinchilla';
export {
  type FitScalingLawOptions,
  fitScalingLaw,
  type OptimalWithInterval,
  type ScalingLawResult,
} from './fit-scaling-law';
