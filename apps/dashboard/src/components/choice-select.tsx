/** A labelled drop-down of a toolbar or form: one of a list of values, or none (the empty option). */
export function ChoiceSelect(props: {
  label: string;
  value: string;
  choices: readonly string[];
  onChange: (value: string) => void;
  /** Text of an empty-valued first option ("all", "any"); no such option when absent. */
  emptyLabel?: string;
  /** The text shown for a value; the value itself by default. */
  describe?: (choice: string) => string;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.choices.map((choice) => (
          <option key={choice} value={choice}>
            {props.describe ? props.describe(choice) : choice}
          </option>
        ))}
      </select>
    </label>
  );
}
