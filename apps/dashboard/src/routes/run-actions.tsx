import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorBox } from '../components/error-box';
import { navigate } from '../hooks/use-location';
import type { RunSummary } from '../lib/api-types';
import { useTRPC } from '../lib/trpc';
import { TokenField } from './run-meta-panel';

type Pending =
  | { kind: 'status'; status: 'finished' | 'stopped' | 'running' }
  | { kind: 'delete' }
  | null;

/**
 * The run's state and identity, changed by hand: mark it finished or stopped (or running again),
 * rename it, delete it. Status changes and deletion ask for a confirmation first; the server
 * records a status set here as the user's (statusSource 'user').
 */
export function RunActions(props: { run: RunSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { run } = props;
  const [pending, setPending] = useState<Pending>(null);
  const [name, setName] = useState(run.name);
  // Keyboard focus follows the confirmation: into it when it opens (the safe choice first for a
  // delete), back to the action buttons when it closes (the buttons it replaced are gone).
  const buttonRow = useRef<HTMLDivElement>(null);
  const confirmFocus = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (pending !== null) confirmFocus.current?.focus();
    else if (wasConfirming.current) buttonRow.current?.querySelector('button')?.focus();
    wasConfirming.current = pending !== null;
  }, [pending]);
  const onConfirmKey = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') setPending(null);
  };
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.runs.list.queryFilter());
    void queryClient.invalidateQueries(trpc.runs.page.queryFilter());
    void queryClient.invalidateQueries(trpc.forecasts.get.queryFilter({ runId: run.id }));
    void queryClient.invalidateQueries(trpc.decisions.shouldStop.queryFilter());
  };
  const update = useMutation(
    trpc.runs.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.runs.byId.queryKey({ id: run.id }), updated);
        setPending(null);
        refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.runs.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        navigate('/');
      },
    }),
  );
  const error = update.error ?? remove.error;
  const needsToken =
    error && (error.data?.code === 'UNAUTHORIZED' || error.data?.code === 'FORBIDDEN');
  const live = run.status === 'running' || run.status === 'unknown';
  return (
    <section className="panel run-actions" aria-label="run actions">
      <h2 style={{ marginTop: 0 }}>Run</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        status <strong className="run-status-value">{run.status}</strong>
        {run.statusSource
          ? ` (set by ${run.statusSource === 'user' ? 'you' : run.statusSource})`
          : ''}
      </p>
      {pending === null && (
        <div className="button-row" ref={buttonRow}>
          {live && (
            <>
              <button
                type="button"
                onClick={() => setPending({ kind: 'status', status: 'finished' })}
              >
                Mark finished
              </button>
              <button
                type="button"
                onClick={() => setPending({ kind: 'status', status: 'stopped' })}
              >
                Mark stopped
              </button>
            </>
          )}
          {!live && (
            <button type="button" onClick={() => setPending({ kind: 'status', status: 'running' })}>
              Mark running
            </button>
          )}
          <button type="button" className="danger" onClick={() => setPending({ kind: 'delete' })}>
            Delete run…
          </button>
        </div>
      )}
      {pending?.kind === 'status' && (
        <fieldset className="confirm" aria-label="confirm status change" onKeyDown={onConfirmKey}>
          <p>
            Mark <strong>{run.name}</strong> as {pending.status}?{' '}
            {pending.status === 'running'
              ? 'It gets forecasts and early-stop verdicts again.'
              : 'Its verdict badge goes; it shows its result and lends its curve to its group.'}
          </p>
          <button
            type="button"
            className="primary"
            ref={confirmFocus}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: run.id, status: pending.status })}
          >
            Mark {pending.status}
          </button>{' '}
          <button type="button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </fieldset>
      )}
      {pending?.kind === 'delete' && (
        <fieldset className="confirm" aria-label="confirm delete" onKeyDown={onConfirmKey}>
          <p>
            Delete <strong>{run.name}</strong> with its {run.series.length} series and all their
            points? This cannot be undone (ingesting its files again brings it back).
          </p>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ id: run.id })}
          >
            Delete for good
          </button>{' '}
          <button type="button" ref={confirmFocus} onClick={() => setPending(null)}>
            Cancel
          </button>
        </fieldset>
      )}
      <form
        className="rename-form"
        onSubmit={(e) => {
          e.preventDefault();
          const next = name.trim();
          if (next && next !== run.name) update.mutate({ id: run.id, name: next });
        }}
      >
        <label>
          name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={500} />
        </label>{' '}
        <button
          type="submit"
          disabled={!name.trim() || name.trim() === run.name || update.isPending}
        >
          Rename
        </button>
      </form>
      {error && <ErrorBox error={error} context="run" askReadToken={false} />}
      {needsToken && <TokenField />}
    </section>
  );
}
