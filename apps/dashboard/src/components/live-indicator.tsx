/** Whether live updates are flowing: the state of the live.events subscription. */
export function LiveIndicator(props: { status: 'idle' | 'connecting' | 'pending' | 'error' }) {
  const label =
    props.status === 'pending'
      ? 'live'
      : props.status === 'connecting'
        ? 'connecting…'
        : props.status === 'error'
          ? 'live updates lost, retrying…'
          : 'not live';
  return (
    <span
      className={`live-indicator live-${props.status}`}
      title="live updates (server-sent events)"
    >
      <span className="status-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
