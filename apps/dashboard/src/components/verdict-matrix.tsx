import { formatPercent } from '../lib/format';

/** P(row run ends below column run); the diagonal is blank. Thin: names and a matrix in. */
export function VerdictMatrix(props: { names: string[]; p: number[][] }) {
  return (
    <table className="matrix" aria-label="P(row ends below column)">
      <thead>
        <tr>
          <th>P(row ends below column)</th>
          {props.names.map((n) => (
            <th key={n} scope="col" title={n}>
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.names.map((rowName, i) => (
          <tr key={rowName}>
            <th scope="row" title={rowName}>
              {rowName}
            </th>
            {props.names.map((colName, j) => {
              const p = props.p[i]?.[j];
              if (i === j || p === undefined) return <td key={colName}>—</td>;
              const strength = Math.abs(p - 0.5) * 2;
              const color = p >= 0.5 ? 'var(--ok)' : 'var(--bad)';
              return (
                <td
                  key={colName}
                  style={{
                    background: `color-mix(in srgb, ${color} ${Math.round(strength * 35)}%, transparent)`,
                  }}
                  title={`P(${rowName} ends below ${colName}) = ${p.toFixed(3)}`}
                >
                  {formatPercent(p)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
