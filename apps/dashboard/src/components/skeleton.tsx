/** A grey placeholder while data loads (keeps the layout from jumping). */
export function Skeleton(props: { height?: number; width?: number | string; label?: string }) {
  return (
    <div
      className="skeleton"
      role="status"
      aria-label={props.label ?? 'loading'}
      style={{ height: props.height ?? 16, width: props.width ?? '100%' }}
    />
  );
}
