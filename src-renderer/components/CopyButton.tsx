import { useState } from 'react';
import { copyText } from '../lib/download';
import { Icon } from './Icon';

/** A button that copies `text` and says so for a moment (also to screen readers). */
export function CopyButton({
  text,
  label = 'Copy',
  className = '',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className={`btn small ${className}`}
      onClick={async () => {
        const ok = await copyText(text);
        setState(ok ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), 1600);
      }}
      aria-label={state === 'idle' ? label : state === 'copied' ? 'Copied' : 'Copy failed'}
    >
      <Icon name={state === 'copied' ? 'check' : 'copy'} />
      <span aria-live="polite">
        {state === 'idle' ? label : state === 'copied' ? 'Copied' : 'Copy failed'}
      </span>
    </button>
  );
}

/** A monospace block with a copy button in its corner. */
export function CodeBlock({
  text,
  label,
  copyLabel = 'Copy',
}: {
  text: string;
  label?: string;
  copyLabel?: string;
}) {
  return (
    <div className="code-wrap">
      {label && <div className="code-label">{label}</div>}
      <pre className="code-block" tabIndex={0} aria-label={label}>
        {text}
      </pre>
      <div className="code-actions">
        <CopyButton text={text} label={copyLabel} />
      </div>
    </div>
  );
}
