import type { AppRouter } from '@runcast/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type RunSummary = RouterOutputs['runs']['byId'];
export type SeriesPoints = RouterOutputs['series']['points'];
export type ForecastResult = RouterOutputs['forecasts']['get'];
export type BacktestResult = RouterOutputs['forecasts']['backtest'];
export type VerdictResult = RouterOutputs['decisions']['shouldStop'];
export type { LiveEvent } from '@runcast/api';
