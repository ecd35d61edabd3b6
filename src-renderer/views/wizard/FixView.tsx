import type { DiagnoseFix } from '@shared/diagnose/types';
import { CodeBlock, CopyButton } from '../../components/CopyButton';
import { DiffView, unifiedPatch } from '../../components/DiffView';
import { useWizard } from '../../stores/wizard';
import { useSession } from '../../stores/session';

/** One fix: the kubectl command, the YAML patch as a diff, or a new policy — each copyable — and what-if. */
export function FixView({ fix, canApply }: { fix: DiagnoseFix; canApply: boolean }) {
  const applyWhatIf = useWizard((s) => s.applyWhatIf);
  const busy = useWizard((s) => s.whatIfBusy);
  const applied = useWizard((s) => s.whatIf?.fixes.some((f) => f.id === fix.id) ?? false);
  const hasSnapshot = useSession((s) => !!s.snapshot);
  const name = fix.patch
    ? `${fix.patch.object.namespace ? `${fix.patch.object.namespace}/` : ''}${fix.patch.object.name}.yaml`
    : 'fix.yaml';
  return (
    <div className="fix" data-testid="fix" data-fix-kind={fix.kind}>
      <div className="fix-head">
        <span className="fix-tag">Fix</span>
        <span className="grow">{fix.description}</span>
        {canApply && (
          <button
            type="button"
            className="btn small primary"
            disabled={busy || applied || !hasSnapshot}
            onClick={() => void applyWhatIf(fix)}
            data-testid="apply-fix"
            title="Apply this fix to a copy of the snapshot and diagnose again (nothing changes in the cluster)"
          >
            {applied ? '✓ Applied (what-if)' : 'Apply to snapshot (what-if)'}
          </button>
        )}
      </div>
      {fix.kind === 'command' && fix.command && <CodeBlock text={fix.command} copyLabel="Copy command" />}
      {fix.kind === 'patch' && fix.patch && (
        <>
          <DiffView before={fix.patch.before} after={fix.patch.after} name={name} />
          <div className="row wrap fix-actions">
            <CopyButton text={fix.patch.after} label="Copy fixed YAML" />
            <CopyButton
              text={fix.diff ?? unifiedPatch(name, fix.patch.before, fix.patch.after)}
              label="Copy patch"
            />
            {fix.command && (
              <span className="faint">
                then <code>{fix.command}</code>
              </span>
            )}
          </div>
        </>
      )}
      {fix.kind === 'new-object' && fix.yaml && (
        <>
          <CodeBlock text={fix.yaml} label="New policy" copyLabel="Copy YAML" />
          {fix.command && (
            <p className="faint fix-then">
              Save it and run <code>{fix.command}</code>
            </p>
          )}
        </>
      )}
    </div>
  );
}
