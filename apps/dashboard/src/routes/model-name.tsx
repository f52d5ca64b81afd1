import { explainModel } from '../lib/explain-terms';

/** A forecast model's name with what it means, in place (visible gloss, full text on hover). */
export function ModelName(props: { model: string; gloss?: boolean }) {
  const meaning = explainModel(props.model);
  return (
    <span className="model-name">
      <abbr title={meaning.long}>{props.model}</abbr>
      {props.gloss !== false && <span className="muted model-gloss"> — {meaning.short}</span>}
    </span>
  );
}
