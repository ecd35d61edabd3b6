export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'info' | 'running';

const glyph: Record<Status, string> = { pass: '✓', fail: '✕', warn: '!', skip: '–', info: 'i', running: '…' };
const words: Record<Status, string> = {
  pass: 'passed',
  fail: 'failed',
  warn: 'warning',
  skip: 'skipped',
  info: 'information',
  running: 'running',
};

/** A round status badge; the word is always available to assistive tech. */
export function StatusIcon({ status, size = 22 }: { status: Status; size?: 16 | 22 | 28 }) {
  return (
    <span className={`status-icon ${status} s${size}`} role="img" aria-label={words[status]}>
      {glyph[status]}
    </span>
  );
}

export function statusWord(s: Status): string {
  return words[s];
}
