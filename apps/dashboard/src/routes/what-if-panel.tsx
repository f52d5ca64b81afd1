import type { ScheduleSpec, SegmentShape } from '@runcast/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { ChoiceSelect } from '../components/choice-select';
import { ErrorBox } from '../components/error-box';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useSearchParam } from '../hooks/use-location';
import type { ForecastResult } from '../lib/api-types';
import {
  buildWhatIfSpec,
  COOLDOWN_SHAPES,
  clampStart,
  computeMinCooldown,
  describeWhatIf,
  formatCooldownShare,
  isCooldownUnderway,
  isSameEdit,
  readWhatIfEdit,
  WHAT_IF_KINDS,
  type WhatIfEdit,
  type WhatIfKind,
} from '../lib/build-what-if';
import { formatBand, formatLr, formatSteps } from '../lib/format';
import { describePlan, readPlan } from '../lib/read-plan';
import { useTRPC } from '../lib/trpc';
import { readWhatIfParam, writeWhatIfParam } from '../lib/what-if-url';

/** View 3: edit the future schedule and see the predicted final loss against the plan, live. */
export function WhatIfPanel(props: {
  runId: number;
  lossKey: string;
  schedule: ScheduleSpec | null;
  /** The server's note when the planned future is uncertain (e.g. no cooldown declared). */
  ambiguous: string | null;
  observedUntil: number;
  stepsPlanned: number | null;
  currentLr: number | null;
  /** Steps between logged loss points (the shortest sensible cooldown with 1% of the horizon). */
  logInterval?: number | null;
  planned: ForecastResult;
  onForecast: (forecast: ForecastResult | undefined) => void;
}) {
  const trpc = useTRPC();
  const { observedUntil, onForecast } = props;
  // The plan is read once per schedule (by value: a refetched run is a new object with the same plan),
  // so live points neither move the panel's fields nor trigger a new what-if.
  const planKey = JSON.stringify(props.schedule);
  const plan = useMemo(() => readPlan(props.schedule), [planKey]);
  const fallbackHorizon = props.stepsPlanned ?? props.planned.horizon;
  const plannedEdit = useMemo(
    () =>
      readWhatIfEdit({
        schedule: props.schedule,
        observedUntil: plan ? 0 : observedUntil,
        stepsPlanned: fallbackHorizon,
        currentLr: props.currentLr,
      }),
    [planKey, plan ? 0 : observedUntil, fallbackHorizon, plan ? 0 : props.currentLr],
  );
  // Until the user edits, the panel shows the plan. An edit keeps the step it was made at, so the
  // what-if asked for does not change as the run goes on. It lives in the URL (?whatif=): a reload
  // or a shared link shows the same what-if; peak and warmup stay the plan's.
  const [whatIfParam, setWhatIfParam] = useSearchParam('whatif');
  const userEdit = useMemo(() => {
    const kept = readWhatIfParam(whatIfParam);
    return kept
      ? { edit: { ...plannedEdit, ...kept.edit }, observedUntil: kept.observedUntil }
      : null;
  }, [whatIfParam, plannedEdit]);
  const setUserEdit = (next: { edit: WhatIfEdit; observedUntil: number } | null) =>
    setWhatIfParam(next ? writeWhatIfParam(next) : null);
  const edit = userEdit?.edit ?? plannedEdit;
  const editObserved = userEdit?.observedUntil ?? observedUntil;
  const underway = isCooldownUnderway(plannedEdit, observedUntil);
  const debounced = useDebouncedValue(edit, 250);
  const changed = !isSameEdit(debounced, plannedEdit);
  const whatIf = useQuery(
    trpc.forecasts.get.queryOptions(
      {
        runId: props.runId,
        key: props.lossKey,
        whatIf: buildWhatIfSpec(debounced, { plan, observedUntil: editObserved }),
      },
      { enabled: changed, retry: false, staleTime: 60_000, placeholderData: keepPreviousData },
    ),
  );
  const result = changed ? whatIf.data : undefined;
  useEffect(() => {
    onForecast(result);
  }, [result, onForecast]);
  useEffect(() => () => onForecast(undefined), [onForecast]);

  const update = (patch: Partial<WhatIfEdit>) => {
    const at = userEdit?.observedUntil ?? observedUntil;
    const next = { ...(userEdit?.edit ?? plannedEdit), ...patch };
    next.horizon = Math.max(at + 1, Math.round(next.horizon));
    // A cooldown under way keeps its real start; otherwise the start stays in the future.
    if (!(underway && next.kind === 'wsd' && next.cooldownStart === plannedEdit.cooldownStart)) {
      next.cooldownStart = clampStart(next.cooldownStart, {
        observedUntil: at,
        horizon: next.horizon,
        minCooldown: computeMinCooldown({
          horizon: next.horizon,
          logInterval: props.logInterval,
        }),
      });
    }
    setUserEdit({ edit: next, observedUntil: at });
  };
  const cooldownLength = edit.horizon - edit.cooldownStart;
  const minCooldown = computeMinCooldown({ horizon: edit.horizon, logInterval: props.logInterval });
  const sliderMax = clampStart(edit.horizon, {
    observedUntil,
    horizon: edit.horizon,
    minCooldown,
  });
  const sliderMin = Math.min(observedUntil, sliderMax);

  return (
    <section className="panel what-if" aria-label="what-if schedule">
      <h2 style={{ margin: 0 }}>What if…</h2>
      <p className="plan-description">
        plan: <strong>{plan ? describePlan(plan) : 'not declared'}</strong>
      </p>
      {props.ambiguous && (
        <p className="muted ambiguous">
          The planned future is uncertain: {props.ambiguous}. Declare the schedule (Details) to pin
          it.
        </p>
      )}
      <ChoiceSelect
        label="schedule"
        value={edit.kind}
        choices={WHAT_IF_KINDS}
        onChange={(kind) => update({ kind: kind as WhatIfKind })}
      />
      <label>
        horizon (steps)
        <input
          type="number"
          min={observedUntil + 1}
          step={100}
          value={edit.horizon}
          onChange={(e) => update({ horizon: Number(e.target.value) || edit.horizon })}
        />
      </label>
      {edit.kind === 'wsd' && underway && edit.cooldownStart === plannedEdit.cooldownStart && (
        <p className="cooldown-started">
          cooldown started at step {formatSteps(edit.cooldownStart)} (under way; the rest of it can
          change)
        </p>
      )}
      {edit.kind === 'wsd' && !(underway && edit.cooldownStart === plannedEdit.cooldownStart) && (
        <>
          <label>
            cooldown starts at step {formatSteps(edit.cooldownStart)}
            <input
              type="range"
              className="cooldown-slider"
              aria-label="cooldown start"
              min={sliderMin}
              max={sliderMax}
              step={Math.max(1, Math.round((sliderMax - sliderMin) / 200))}
              value={edit.cooldownStart}
              onChange={(e) => update({ cooldownStart: Number(e.target.value) })}
            />
          </label>
          <label>
            <span>
              cooldown length (steps){' '}
              <span className="muted cooldown-share">
                = last {formatCooldownShare(edit)} of {formatSteps(edit.horizon)}
              </span>
            </span>
            <input
              type="number"
              min={Math.min(minCooldown, edit.horizon - sliderMin)}
              value={cooldownLength}
              onChange={(e) =>
                update({ cooldownStart: edit.horizon - (Number(e.target.value) || 1) })
              }
            />
          </label>
        </>
      )}
      {edit.kind === 'wsd' && (
        <label>
          cooldown shape
          <select
            className="cooldown-shape"
            value={edit.cooldownShape}
            onChange={(e) => update({ cooldownShape: e.target.value as SegmentShape })}
          >
            {COOLDOWN_SHAPES.map((s) => (
              <option key={s} value={s}>
                {s === 'sqrt' ? '1 − sqrt' : s}
              </option>
            ))}
          </select>
        </label>
      )}
      {edit.kind !== 'constant' && (
        <label>
          final LR ({formatLr(edit.finalLr)}; peak {formatLr(edit.peak)})
          <input
            type="number"
            min={0}
            step="any"
            value={edit.finalLr}
            onChange={(e) => update({ finalLr: Math.max(0, Number(e.target.value) || 0) })}
          />
        </label>
      )}
      <div className="result" aria-live="polite">
        <div>
          planned: <span className="planned-final">{formatBand(props.planned.final)}</span>
        </div>
        {changed && result?.whatIf && (
          <>
            <div>
              what-if: <span className="whatif-final">{formatBand(result.whatIf.final)}</span>
            </div>
            <div className="delta whatif-delta">
              {describeWhatIf({
                planned: plannedEdit,
                whatIf: debounced,
                delta: result.whatIf.delta,
              })}
            </div>
          </>
        )}
        {changed && whatIf.isFetching && <div className="muted">computing…</div>}
        {!changed && edit.kind === 'wsd' && (
          <div className="muted">Move the slider or edit a field to compare.</div>
        )}
        {!changed && edit.kind !== 'wsd' && (
          <button
            type="button"
            className="try-cooldown"
            onClick={() =>
              update({
                kind: 'wsd',
                cooldownStart: Math.round(edit.horizon * 0.8),
                cooldownShape: 'linear',
                finalLr: 0,
              })
            }
          >
            Try a cooldown (WSD)
          </button>
        )}
      </div>
      {whatIf.isError && <ErrorBox error={whatIf.error} context="what-if" />}
      <button
        type="button"
        className="reset-plan"
        onClick={() => setUserEdit(null)}
        disabled={isSameEdit(edit, plannedEdit)}
      >
        Reset to plan
      </button>
    </section>
  );
}
