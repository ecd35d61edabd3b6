import { useState } from 'react';
import { Icon } from '../../components/Icon';
import type { Question } from '@shared/diagnose/types';
import type { ReportFormat } from '@shared/report/types';
import { api } from '../../api';
import { downloadFile } from '../../lib/download';
import { toastError, toastInfo } from '../../stores/toasts';

const formats: { id: ReportFormat; label: string }[] = [
  { id: 'html', label: 'HTML' },
  { id: 'md', label: 'Markdown' },
  { id: 'json', label: 'JSON' },
  { id: 'pdf', label: 'PDF' },
];

/** Export the diagnosis (or, without a question, the cluster's findings) as a report file. */
export function ReportExport({ snapshotId, question }: { snapshotId: string; question?: Question }) {
  const [anonymize, setAnonymize] = useState(false);
  const [busy, setBusy] = useState<ReportFormat | undefined>();
  const run = async (format: ReportFormat) => {
    setBusy(format);
    try {
      const r = await api.report.export({ snapshotId, question, format, anonymize });
      downloadFile(r.fileName, r.content, r.mime, r.encoding);
      toastInfo('Report exported', r.fileName);
    } catch (e) {
      toastError(`Could not export the ${format.toUpperCase()} report`, e);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section
      className="card card-pad report-export"
      aria-labelledby="report-title"
      data-testid="report-export"
    >
      <div className="row wrap">
        <h2 id="report-title" className="grow">
          Share a report
        </h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={anonymize}
            onChange={(e) => setAnonymize(e.target.checked)}
            data-testid="report-anonymize"
          />
          Anonymize names and IPs
        </label>
      </div>
      <p className="faint">
        Every step, its evidence and fixes, the policies involved and the CNI facts. Never credentials.
      </p>
      <div className="row wrap">
        {formats.map((f) => (
          <button
            key={f.id}
            type="button"
            className="btn"
            disabled={!!busy}
            onClick={() => void run(f.id)}
            data-testid={`report-${f.id}`}
          >
            {busy === f.id ? <span className="spinner" aria-hidden="true" /> : <Icon name="download" />}{' '}
            {f.label}
          </button>
        ))}
      </div>
    </section>
  );
}
