import type { Protocol } from '@shared/k8s/types';
import type { Question } from '@shared/diagnose/types';

/** The question as the form holds it (all strings). */
export interface QuestionDraft {
  from: string;
  to: string;
  port: string;
  protocol: Protocol;
}

export const emptyDraft: QuestionDraft = { from: '', to: '', port: '', protocol: 'TCP' };

export function draftFromParams(p: URLSearchParams): QuestionDraft | undefined {
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  const port = p.get('port') ?? '';
  if (!from && !to && !port) return undefined;
  const proto = (p.get('protocol') ?? 'TCP').toUpperCase();
  return { from, to, port, protocol: proto === 'UDP' || proto === 'SCTP' ? proto : 'TCP' };
}

/** A complete question, or the first problem with the draft in words. */
export function toQuestion(d: QuestionDraft): { question?: Question; problem?: string } {
  if (!d.from.trim()) return { problem: 'Choose a source.' };
  if (!d.to.trim()) return { problem: 'Choose a destination.' };
  const port = d.port.trim();
  if (!port) return { problem: 'Enter a port (a number, or a named port of the destination).' };
  if (/^\d+$/.test(port)) {
    const n = Number(port);
    if (n < 1 || n > 65535) return { problem: 'Ports go from 1 to 65535.' };
    return { question: { from: d.from.trim(), to: d.to.trim(), port: n, protocol: d.protocol } };
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port)) {
    return { problem: `“${port}” is neither a port number nor a valid port name.` };
  }
  return { question: { from: d.from.trim(), to: d.to.trim(), port, protocol: d.protocol } };
}

export function questionParams(q: Question): Record<string, string> {
  return { from: q.from, to: q.to, port: String(q.port), protocol: q.protocol ?? 'TCP' };
}

export function sameQuestion(a: Question | undefined, b: Question | undefined): boolean {
  return (
    !!a &&
    !!b &&
    a.from === b.from &&
    a.to === b.to &&
    String(a.port) === String(b.port) &&
    (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP')
  );
}
