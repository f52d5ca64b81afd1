/** First-run screen: the one command that fills the store. */
export function EmptyState() {
  return (
    <section className="empty-state">
      <h2>No runs yet</h2>
      <p>
        Ingest your training logs (JSONL, CSV, TensorBoard, HF Trainer, Lightning, MLflow, W&amp;B):
      </p>
      <pre>
        <code>pnpm runcast ingest path/to/logs</code>
      </pre>
      <p>or try it with simulated runs:</p>
      <pre>
        <code>pnpm runcast demo --live</code>
      </pre>
      <p className="muted">This page updates by itself when runs arrive.</p>
    </section>
  );
}
