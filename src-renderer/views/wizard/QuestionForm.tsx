import type { Protocol } from '@shared/k8s/types';
import { useSession } from '../../stores/session';
import { useWizard } from '../../stores/wizard';
import { navigate } from '../../lib/router';
import { EndpointPicker } from './EndpointPicker';
import { namedPorts } from './endpoints';
import { questionParams, toQuestion } from './question';
import { demoQuestions } from './demo-questions';

const protocols: Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** The question: source, destination, port, protocol — then Diagnose. */
export function QuestionForm() {
  const draft = useWizard((s) => s.draft);
  const notes = useWizard((s) => s.notes);
  const running = useWizard((s) => s.running);
  const setDraft = useWizard((s) => s.setDraft);
  const setNote = useWizard((s) => s.setNote);
  const snapshot = useSession((s) => s.snapshot);
  const summary = useSession((s) => s.summary);
  const ports = namedPorts(snapshot, draft.to);
  const { question, problem } = toQuestion(draft);

  const submit = () => {
    if (!question) return;
    // the address bar holds the question: a shareable deep link; the view runs it
    navigate('wizard', { ...questionParams(question), run: String(Date.now()) });
  };

  return (
    <form
      className="card card-pad question"
      aria-labelledby="q-title"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="q-title" className="q-title">
        Why can’t <em>A</em> reach <em>B</em>?
      </h2>
      <div className="q-grid">
        <EndpointPicker
          label="From (source)"
          value={draft.from}
          placeholder="ns/pod, workload, service, IP…"
          testid="wizard-from"
          onChange={(v, note) => {
            setDraft({ from: v });
            setNote('from', note);
          }}
        />
        <div className="q-arrow" aria-hidden="true">
          →
        </div>
        <EndpointPicker
          label="To (destination)"
          value={draft.to}
          placeholder="ns/pod, workload, service, IP…"
          testid="wizard-to"
          onChange={(v, note) => {
            setDraft({ to: v });
            setNote('to', note);
          }}
        />
        <div className="field q-port">
          <label htmlFor="q-port">Port</label>
          <input
            id="q-port"
            className="input mono"
            value={draft.port}
            placeholder="8080 or http"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            data-testid="wizard-port"
            onChange={(e) => setDraft({ port: e.target.value })}
          />
        </div>
        <div className="field">
          <span className="field-label" id="q-proto-label">
            Protocol
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="q-proto-label">
            {protocols.map((p) => (
              <button
                key={p}
                type="button"
                role="radio"
                aria-checked={draft.protocol === p}
                tabIndex={draft.protocol === p ? 0 : -1}
                onClick={() => setDraft({ protocol: p })}
                onKeyDown={(e) => {
                  const i = protocols.indexOf(draft.protocol);
                  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
                    e.preventDefault();
                    const n = protocols[(i + 1) % protocols.length];
                    setDraft({ protocol: n });
                    (
                      e.currentTarget.parentElement?.children[(i + 1) % protocols.length] as HTMLElement
                    )?.focus();
                  } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
                    e.preventDefault();
                    const j = (i - 1 + protocols.length) % protocols.length;
                    setDraft({ protocol: protocols[j] });
                    (e.currentTarget.parentElement?.children[j] as HTMLElement)?.focus();
                  }
                }}
              >
                {p}
              </button>
            ))}
          </div>
        </div>
        <div className="q-submit">
          <button
            type="submit"
            className="btn primary"
            disabled={!question || running || !summary}
            data-testid="wizard-run"
          >
            {running ? <span className="spinner" aria-hidden="true" /> : null} Diagnose
          </button>
        </div>
      </div>
      {(notes.from || notes.to) && (
        <div className="q-notes">
          {notes.from && <p>Source: {notes.from}</p>}
          {notes.to && <p>Destination: {notes.to}</p>}
        </div>
      )}
      {ports.length > 0 && (
        <div className="row wrap q-ports">
          <span className="faint">Ports of {draft.to.split('/')[1]}:</span>
          {ports.map((p) => (
            <button
              key={`${p.name}/${p.protocol}`}
              type="button"
              className={`chip chip-btn ${draft.port === p.name || draft.port === String(p.port) ? 'selected' : ''}`}
              onClick={() => setDraft({ port: p.name, protocol: p.protocol as Protocol })}
              title={`Use the named port ${p.name} (${p.port}/${p.protocol})`}
            >
              {p.name} {p.port}/{p.protocol}
            </button>
          ))}
        </div>
      )}
      {problem && (draft.from || draft.to || draft.port) && <p className="q-problem faint">{problem}</p>}
      {summary?.source.type === 'demo' && <DemoQuestions />}
    </form>
  );
}

function DemoQuestions() {
  return (
    <div className="demo-questions">
      <span className="faint">Try the demo’s known problems:</span>
      <div className="row wrap">
        {demoQuestions.map((d) => (
          <button
            key={d.id}
            type="button"
            className="btn small"
            data-testid={`demo-question-${d.id}`}
            onClick={() => navigate('wizard', { ...questionParams(d.question), run: String(Date.now()) })}
          >
            <span className="demo-id">{d.id}</span> {d.label}
          </button>
        ))}
      </div>
    </div>
  );
}
