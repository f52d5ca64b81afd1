import { pickDefaultSmoothWidth, readSmoothMethod, type SmoothMethod } from '../lib/smooth-points';
import { useSearchParam } from './use-location';

/**
 * The chart view options the run and compare pages keep in the URL: log axes (logx, logy), the
 * full y range (yfull) and smoothing (smooth, w). Defaults are left out of the URL.
 */
export function useChartView() {
  const [logXParam, setLogXParam] = useSearchParam('logx');
  const [logYParam, setLogYParam] = useSearchParam('logy');
  const [yFullParam, setYFullParam] = useSearchParam('yfull');
  const [smoothParam, setSmoothParam] = useSearchParam('smooth');
  const [widthParam, setWidth] = useSearchParam('w');
  return {
    logX: logXParam === '1',
    logY: logYParam === '1',
    yFull: yFullParam === '1',
    smooth: readSmoothMethod(smoothParam),
    setLogX: (on: boolean) => setLogXParam(on ? '1' : null),
    setLogY: (on: boolean) => setLogYParam(on ? '1' : null),
    setYFull: (on: boolean) => setYFullParam(on ? '1' : null),
    setSmooth: (method: SmoothMethod) => setSmoothParam(method === 'none' ? null : method),
    /** null: back to the default width. */
    setWidth,
    /** The smoothing width: the URL's when positive, else the default for an x span. */
    pickSmoothWidth: (span: number) =>
      widthParam !== null && Number(widthParam) > 0
        ? Number(widthParam)
        : pickDefaultSmoothWidth(span),
  };
}
