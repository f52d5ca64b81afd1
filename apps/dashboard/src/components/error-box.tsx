import { describeError } from '../lib/describe-error';

/** An error state with the server's message and a retry button. */
export function ErrorBox(props: { error: unknown; onRetry?: () => void; context?: string }) {
  const d = describeError(props.error);
  return (
    <div
      className="error-box"
      role="alert"
      data-code={d.code ?? (d.unreachable ? 'UNREACHABLE' : '')}
    >
      <strong>{props.context ? `${props.context}: ${d.title}` : d.title}</strong>
      <p className="error-message">{d.message}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
