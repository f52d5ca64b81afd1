import { ScheduleSpec } from '@runcast/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorBox } from '../components/error-box';
import { readApiToken, saveApiToken } from '../lib/api-token';
import type { RunSummary } from '../lib/api-types';
import { useTRPC } from '../lib/trpc';

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** Parses the schedule editor: '' clears the schedule; otherwise JSON checked against ScheduleSpec. */
export function parseScheduleText(
  text: string,
): { ok: true; value: ScheduleSpec | null } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  const parsed = ScheduleSpec.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') || 'schedule'}: ${issue?.message}` };
}

/** Config, tags, notes and the declared schedule of a run (tags, notes, schedule editable). */
export function RunMetaPanel(props: { run: RunSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { run } = props;
  const [tags, setTags] = useState(run.tags.join(', '));
  const [notes, setNotes] = useState(run.notes);
  const [schedule, setSchedule] = useState(
    run.schedule ? JSON.stringify(run.schedule, null, 2) : '',
  );
  const parsedSchedule = parseScheduleText(schedule);
  const mutation = useMutation(
    trpc.runs.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.runs.byId.queryKey({ id: run.id }), updated);
        void queryClient.invalidateQueries(trpc.forecasts.get.queryFilter({ runId: run.id }));
        void queryClient.invalidateQueries(trpc.runs.list.queryFilter());
        void queryClient.invalidateQueries(trpc.runs.page.queryFilter());
      },
    }),
  );
  const save = () => {
    if (!parsedSchedule.ok) return;
    mutation.mutate({ id: run.id, tags: parseTags(tags), notes, schedule: parsedSchedule.value });
  };
  const configEntries = Object.entries(run.config ?? {});
  return (
    <section className="panel" aria-label="run details">
      <h2 style={{ marginTop: 0 }}>Details</h2>
      <dl className="kv">
        <dt>id</dt>
        <dd>{run.id}</dd>
        <dt>key</dt>
        <dd style={{ wordBreak: 'break-all' }}>{run.key}</dd>
        {run.params !== null && (
          <>
            <dt>params</dt>
            <dd>{run.params.toLocaleString('en-US')}</dd>
          </>
        )}
        {run.tokensPerStep !== null && (
          <>
            <dt>tokens/step</dt>
            <dd>{run.tokensPerStep.toLocaleString('en-US')}</dd>
          </>
        )}
        <dt>series</dt>
        <dd>{run.series.map((s) => `${s.key} (${s.points})`).join(', ') || '—'}</dd>
      </dl>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        style={{ display: 'grid', gap: 8, marginTop: 12 }}
      >
        <label>
          tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} style={{ width: '100%' }} />
        </label>
        <label>
          notes
          <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        <label>
          declared schedule (JSON ScheduleSpec; empty = infer from the logged LR)
          <textarea
            rows={6}
            value={schedule}
            onChange={(e) => setSchedule(e.target.value)}
            aria-invalid={!parsedSchedule.ok}
            placeholder='{"kind": "wsd", "peak": 3e-4, "warmup": 2000, "total": 20000, "decay": 0.2, "shape": "linear"}'
          />
        </label>
        {!parsedSchedule.ok && <p className="error-message">{parsedSchedule.message}</p>}
        <div>
          <button
            type="submit"
            className="primary"
            disabled={!parsedSchedule.ok || mutation.isPending}
          >
            {mutation.isPending ? 'Saving…' : 'Save'}
          </button>{' '}
          {mutation.isSuccess && <span className="muted">saved</span>}
        </div>
        {mutation.isError && (
          <ErrorBox error={mutation.error} context="save" askReadToken={false} />
        )}
        {mutation.isError &&
          (mutation.error.data?.code === 'UNAUTHORIZED' ||
            mutation.error.data?.code === 'FORBIDDEN') && <TokenField />}
      </form>
      {configEntries.length > 0 && (
        <details style={{ marginTop: 12 }}>
          <summary>config ({configEntries.length} keys)</summary>
          <pre>{JSON.stringify(run.config, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}

/** Saving needs a write token; it is kept in this browser only. */
export function TokenField() {
  const [token, setToken] = useState(readApiToken() ?? '');
  return (
    <label>
      write token (<code>pnpm runcast token create --name dashboard --scope write</code>)
      <input
        type="password"
        value={token}
        onChange={(e) => {
          setToken(e.target.value);
          saveApiToken(e.target.value.trim() || null);
        }}
        style={{ width: '100%' }}
      />
    </label>
  );
}
