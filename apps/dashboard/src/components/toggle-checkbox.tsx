import type { ReactNode } from 'react';

/** A labelled checkbox of a toolbar (log x, log y, full y range...). */
export function ToggleCheckbox(props: {
  checked: boolean;
  onToggle: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label>
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onToggle(e.target.checked)}
      />
      {props.children}
    </label>
  );
}
