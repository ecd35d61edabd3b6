import { useEffect, useState } from 'react';
import type { Fix, LintFinding } from '@shared/engine/types';
import { api } from '../../api';
import { nsVisible, useSession } from '../../stores/session';
import { describeError } from '../../stores/toasts';
import { CodeBlock, CopyButton } from '../../components/CopyButton';
import { DiffView } from '../../components/DiffView';
import { StatusIcon } from '../../components/StatusIcon';

const groups: { id: LintFinding['severity']; title: string }[] = [
  { id: 'error', title: 'Errors' },
  { id: 'warning', title: 'Warnings' },
  { id: 'info', title: 'Information' },
];

export function LintView() {
  const summary = useSession((s) => s.summary);
  const nsFilter = useSession((s) => s.namespaces);
  const [findings, setFindings] = useState<LintFinding[] | undefined>();
  const [error, setError] = useState<{ code: string; message: string } | undefined>();
  const snapshotId = summary?.snapshotId;

  useEffect(() => {
    if (!snapshotId) return;
    let alive = true;
    setFindings(undefined);
    setError(undefined);
    api.engine
      .lint({ snapshotId })
      .then((f) => alive && setFindings(f))
      .catch((e: unknown) => alive && setError(describeError(e)));
    return () => {
      alive = false;
    };
  }, [snapshotId, summary?.takenAt]);

  const shown = (findings ?? []).filter(
    (f) => nsFilter.length === 0 || !f.object.namespace || nsVisible(nsFilter, f.object.namespace),
  );

  return (
    <div className="stack-lg">
      <div className="view-head">
        <div className="grow">
          <h1>Lint</h1>
          <div className="sub">
            Policy mistakes found without a question: OR vs AND peers, missing DNS egress, selectors that
            match nothing…
          </div>
        </div>
        {findings && (
          <div className="row">
            {groups.map((g) => (
              <span key={g.id} className={`pill ${g.id}`}>
                {shown.filter((f) => f.severity === g.id).length} {g.id}
              </span>
            ))}
          </div>
        )}
      </div>
      {!summary && <p className="banner info">Open a context, snapshot or the demo first.</p>}
      {summary && !findings && !error && (
        <p className="row muted" role="status">
          <span className="spinner" aria-hidden="true" /> Linting…
        </p>
      )}
      {error && (
        <p className="banner bad" role="alert">
          Could not lint the snapshot ({error.code}): {error.message}
        </p>
      )}
      {findings && shown.length === 0 && (
        <div className="banner ok">
          <span className="banner-icon" aria-hidden="true">
            ✓
          </span>
          <div>
            <h3>No findings</h3>
            <p>No policy mistake found{nsFilter.length ? ' in the selected namespaces' : ''}.</p>
          </div>
        </div>
      )}
      {findings &&
        groups.map((g) => {
          const list = shown.filter((f) => f.severity === g.id);
          if (list.length === 0) return null;
          return (
            <section
              key={g.id}
              aria-labelledby={`lint-${g.id}`}
              className="stack"
              data-testid={`lint-${g.id}`}
            >
              <h2 id={`lint-${g.id}`}>
                {g.title} <span className="faint">({list.length})</span>
              </h2>
              {list.map((f, i) => (
                <LintCard key={i} f={f} />
              ))}
            </section>
          );
        })}
    </div>
  );
}

function LintCard({ f }: { f: LintFinding }) {
  const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  return (
    <article className={`card lint-card ${f.severity}`}>
      <div className="lint-head">
        <StatusIcon
          status={f.severity === 'error' ? 'fail' : f.severity === 'warning' ? 'warn' : 'info'}
          size={22}
        />
        <div className="grow">
          <div className="lint-msg">{f.message}</div>
          <div className="faint small-text">
            <span className="mono">{obj}</span> · rule <code>{f.rule}</code>
          </div>
        </div>
      </div>
      {f.fix && <LintFix fix={f.fix} />}
    </article>
  );
}

function LintFix({ fix }: { fix: Fix }) {
  const name = fix.patch
    ? `${fix.patch.object.namespace ? `${fix.patch.object.namespace}/` : ''}${fix.patch.object.name}.yaml`
    : 'fix.yaml';
  // a command that already carries the YAML (kubectl apply -f - <<EOF) needs no second copy
  const yamlInCommand = !!fix.yaml && !!fix.command && fix.command.includes(fix.yaml.trim().split('\n')[0]);
  return (
    <details className="fix lint-fix">
      <summary className="fix-head">
        <span className="fix-tag">Fix</span>
        <span className="grow">{fix.description}</span>
      </summary>
      {fix.command && <CodeBlock text={fix.command} copyLabel="Copy command" />}
      {fix.patch ? (
        <>
          <DiffView before={fix.patch.before} after={fix.patch.after} name={name} />
          <div className="row fix-actions">
            <CopyButton text={fix.patch.after} label="Copy fixed YAML" />
          </div>
        </>
      ) : (
        fix.yaml && !yamlInCommand && <CodeBlock text={fix.yaml} copyLabel="Copy YAML" />
      )}
    </details>
  );
}
