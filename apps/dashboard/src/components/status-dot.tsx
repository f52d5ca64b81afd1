import type { RunStatus } from '@runcast/core';

/** A run's status; a pulsing dot while it is running. */
export function StatusDot(props: { status: RunStatus }) {
  return (
    <span className={`status status-${props.status}`} title={props.status}>
      <span className="status-dot" aria-hidden="true" />
      {props.status}
    </span>
  );
}
