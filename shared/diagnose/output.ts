import type { DiagnoseStep, Diagnosis, DiagnosisJson, StepStatus } from './types';
import { endpointName } from './context';
import { sideSentence } from './step-verdict';

/** `netpol-doctor diagnose --json`: `{"verdict","steps":[{"id","status","findings":[{"message","fix"?}]}],"trace"}`. */
export function diagnoseToJson(d: Diagnosis): DiagnosisJson {
  return {
    verdict: d.verdict,
    question: d.question,
    cause: d.cause,
    explanation: d.trace.explanation,
    steps: d.steps
      .filter((s): s is DiagnoseStep & { id: Exclude<DiagnoseStep['id'], 'verdict'> } => s.id !== 'verdict')
      .map((s) => ({
        id: s.id,
        status: s.status,
        summary: s.status === 'skip' && s.skipReason ? `${s.summary} (${s.skipReason})` : s.summary,
        findings: s.findings.map((f) => ({
          message: f.message,
          severity: f.severity,
          ...(f.fix
            ? {
                fix: {
                  description: f.fix.description,
                  ...(f.fix.kind === 'command' && f.fix.command ? { command: f.fix.command } : {}),
                  ...(f.fix.yaml ? { yaml: f.fix.yaml } : {}),
                  ...(f.fix.diff ? { diff: f.fix.diff } : {}),
                },
              }
            : {}),
        })),
      })),
    trace: d.trace,
  };
}

export const STATUS_SYMBOL: Record<StepStatus, string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

function indent(text: string, pad: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** Plain-text rendering for the CLI: one block per step (status, summary, findings, fixes), then the verdict. */
export function diagnosisToText(d: Diagnosis): string {
  const t = d.trace;
  const out: string[] = [];
  out.push(
    `Diagnosis: ${endpointName(t.source)} → ${endpointName(t.destination)} :${t.query.port}${t.query.portName ? ` (${t.query.portName})` : ''}/${t.query.protocol}`,
  );
  out.push('');
  for (const s of d.steps) {
    if (s.id === 'verdict') continue;
    out.push(
      `${STATUS_SYMBOL[s.status]} ${s.title.padEnd(10)} ${s.status === 'skip' ? `skipped: ${s.skipReason ?? s.summary}` : s.summary}`,
    );
    for (const f of s.findings) {
      if (f.message === s.summary && !f.fix) continue;
      const mark = f.severity === 'error' ? '✘' : f.severity === 'warning' ? '!' : '·';
      if (f.message !== s.summary) out.push(`    ${mark} ${f.message}`);
      if (f.fix) {
        out.push(`      fix: ${f.fix.description}`);
        if (f.severity === 'info' && f.code?.startsWith('lint:')) continue; // lint notes: the description is enough here
        if (f.fix.kind === 'command' && f.fix.command) out.push(`        $ ${f.fix.command}`);
        else if (f.fix.diff) out.push(indent(f.fix.diff.split('\n').slice(1).join('\n'), '        '));
        else if (f.fix.yaml) out.push(indent(f.fix.yaml, '        '));
      }
    }
  }
  out.push('');
  out.push(`Verdict: ${d.verdict.toUpperCase()}${d.partial ? ' (partial snapshot: may be incomplete)' : ''}`);
  out.push(`  ${sideSentence(t.egress)}`);
  out.push(`  ${sideSentence(t.ingress)}`);
  for (const line of t.explanation) out.push(`  ${line}`);
  const verdictStep = d.steps.find((s) => s.id === 'verdict');
  for (const f of verdictStep?.findings ?? []) {
    if (!f.fix) continue;
    out.push(`  ${f.message}`);
    out.push(indent(f.fix.yaml ?? f.fix.command ?? '', '    '));
  }
  return out.join('\n') + '\n';
}
