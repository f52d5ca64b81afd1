import { formatPercent } from '../lib/format';

export type VerdictKind = 'stop' | 'continue' | 'undecided';

/** The early-stop verdict: stop / continue / undecided, with the reason on hover. */
export function VerdictBadge(props: {
  verdict: VerdictKind;
  reason?: string;
  probability?: number;
}) {
  const title = [
    props.reason,
    props.probability === undefined ? undefined : `P = ${formatPercent(props.probability)}`,
  ]
    .filter(Boolean)
    .join(' — ');
  return (
    <span className={`badge verdict-${props.verdict}`} title={title || undefined}>
      {props.verdict}
    </span>
  );
}
