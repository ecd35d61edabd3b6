import type { Evidence, LabelComparison } from '@shared/diagnose/types';
import { chipIsHighlighted, splitLabelList } from './labels';

function ComparisonView({ c }: { c: LabelComparison }) {
  const chips = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
  const missing = c.differences.filter((d) => d.actual === undefined && !(d.key in c.labels));
  return (
    <div className="comparison">
      <div className="row wrap">
        <span className="faint">selector</span>
        <code className="chip selector-chip">{c.selector || '(everything)'}</code>
        <span className="faint">vs {c.target}</span>
        <span className="mono">{c.targetName}</span>
        <span className={`pill ${c.matched ? 'ok' : 'bad'}`}>{c.matched ? 'matches' : 'no match'}</span>
      </div>
      <div className="chips">
        {chips.length === 0 && <span className="faint">(no labels)</span>}
        {chips.map((ch) => (
          <span key={ch} className={`chip ${chipIsHighlighted(ch, undefined, c.differingKeys) ? 'hl' : ''}`}>
            {ch}
          </span>
        ))}
        {missing.map((d) => (
          <span key={`missing-${d.key}`} className="chip hl missing" title="label missing">
            {d.key}=∅
          </span>
        ))}
      </div>
      {c.differences.length > 0 && (
        <ul className="diff-reasons">
          {c.differences.map((d, i) => (
            <li key={i}>{d.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Value({ e }: { e: Evidence }) {
  if (e.comparison) return <ComparisonView c={e.comparison} />;
  const chips = splitLabelList(e.value);
  if (chips) {
    return (
      <div className="chips">
        {chips.map((ch) => (
          <span key={ch} className={`chip ${chipIsHighlighted(ch, e.highlight) ? 'hl' : ''}`}>
            {ch}
          </span>
        ))}
      </div>
    );
  }
  return <span className="evidence-text">{e.value}</span>;
}

/** The facts a step checked, as a table; label lists as chips with the differing key highlighted. */
export function EvidenceTable({ evidence }: { evidence: Evidence[] }) {
  if (evidence.length === 0) return null;
  return (
    <table className="data evidence">
      <caption className="visually-hidden">Evidence checked</caption>
      <thead>
        <tr>
          <th scope="col">Checked</th>
          <th scope="col">Actual value</th>
        </tr>
      </thead>
      <tbody>
        {evidence.map((e, i) => (
          <tr key={i} className={`ev-${e.state ?? 'neutral'}`}>
            <th scope="row" className="ev-label">
              <span className={`ev-dot ${e.state ?? 'neutral'}`} aria-hidden="true" />
              {e.label}
              {e.state && e.state !== 'neutral' && <span className="visually-hidden"> ({e.state})</span>}
            </th>
            <td>
              <Value e={e} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
