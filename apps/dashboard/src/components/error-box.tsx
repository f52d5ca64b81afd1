import { describeError } from '../lib/describe-error';
import { ReadTokenForm } from './read-token-form';

/**
 * An error state with the server's message and a retry button; a refused read (401) asks for a
 * read token (not for writes: saving asks for a write token itself).
 */
export function ErrorBox(props: {
  error: unknown;
  onRetry?: () => void;
  context?: string;
  /** Offer the read-token form on 401 (default true). */
  askReadToken?: boolean;
}) {
  const d = describeError(props.error);
  const askToken = d.code === 'UNAUTHORIZED' && (props.askReadToken ?? true);
  return (
    <div
      className="error-box"
      role="alert"
      data-code={d.code ?? (d.unreachable ? 'UNREACHABLE' : '')}
    >
      <strong>{props.context ? `${props.context}: ${d.title}` : d.title}</strong>
      <p className="error-message">{d.message}</p>
      {askToken && <ReadTokenForm />}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
