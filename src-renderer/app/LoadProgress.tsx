import { useSession } from '../stores/session';

const phaseWords: Record<string, string> = {
  connecting: 'Connecting to the API server',
  'access-review': 'Checking what you may list',
  discovery: 'Discovering policy kinds',
  listing: 'Listing objects',
  watching: 'Starting watches',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The connection progress: a bar with counts from snapshot.progress events, and Cancel. */
export function LoadProgress() {
  const loading = useSession((s) => s.loading);
  const cancel = useSession((s) => s.cancelLoad);
  if (!loading) return null;
  const p = loading.progress;
  const pct = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : undefined;
  return (
    <div className="load-progress card card-pad" role="status" aria-live="polite" data-testid="load-progress">
      <div className="row">
        <span className="spinner" aria-hidden="true" />
        <strong className="grow">Opening {loading.label}</strong>
        <button type="button" className="btn small" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      <div
        className={`progress ${pct === undefined ? 'indeterminate' : ''}`}
        role="progressbar"
        aria-label="Load progress"
        aria-valuemin={0}
        aria-valuemax={p?.total || undefined}
        aria-valuenow={p?.total ? p.done : undefined}
      >
        <div style={pct !== undefined ? { width: `${pct}%` } : undefined} />
      </div>
      <div className="row muted small-text">
        <span className="grow">
          {p ? (phaseWords[p.phase] ?? p.phase) : 'Starting…'}
          {p?.current ? ` — ${p.current}` : ''}
          {p?.message ? ` — ${p.message}` : ''}
        </span>
        {p && p.total > 0 && (
          <span className="mono">
            {p.done}/{p.total} resources · {p.objects.toLocaleString()} objects
          </span>
        )}
      </div>
    </div>
  );
}
