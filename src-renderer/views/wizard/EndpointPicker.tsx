import { useId, useMemo, useRef, useState } from 'react';
import { useSession } from '../../stores/session';
import { endpointOptions, searchEndpoints, type EndpointOption } from './endpoints';

const kindWords: Record<EndpointOption['kind'], string> = {
  pod: 'Pod',
  workload: 'Workload',
  service: 'Service',
  namespace: 'Namespace',
  external: 'External',
};

interface Props {
  label: string;
  value: string;
  onChange(value: string, note?: string): void;
  placeholder: string;
  testid: string;
}

/** Searchable source/destination picker (combobox): pods, workloads, services, namespaces, external IPs. */
export function EndpointPicker({ label, value, onChange, placeholder, testid }: Props) {
  const snapshot = useSession((s) => s.snapshot);
  const nsFilter = useSession((s) => s.namespaces);
  const options = useMemo(() => (snapshot ? endpointOptions(snapshot) : []), [snapshot]);
  const [text, setText] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const query = text ?? value;
  const hits = useMemo(
    () => searchEndpoints(options, text === undefined ? '' : query, nsFilter).slice(0, 60),
    [options, query, text, nsFilter],
  );
  const activeIdx = Math.min(active, Math.max(0, hits.length - 1));

  const choose = (o: EndpointOption) => {
    if (o.kind === 'namespace') {
      setText(o.value);
      setActive(0);
      setOpen(true);
      inputRef.current?.focus();
      return;
    }
    const note =
      o.kind === 'workload' || o.kind === 'service'
        ? `${o.label} has ${o.pods?.length ?? 1} pod${(o.pods?.length ?? 1) === 1 ? '' : 's'}; the question uses ${o.value}${(o.pods?.length ?? 1) > 1 ? ' (its replicas share the same labels)' : ''}.`
        : o.kind === 'external'
          ? `${o.value} is not a pod in this snapshot: it is treated as an address outside the cluster.`
          : undefined;
    onChange(o.value, note);
    setText(undefined);
    setOpen(false);
  };

  const commitText = () => {
    if (text !== undefined && text.trim() !== '' && text.trim() !== value) onChange(text.trim(), undefined);
    setText(undefined);
  };

  return (
    <div className="field endpoint-picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="combo">
        <input
          ref={inputRef}
          id={`${id}-input`}
          className="input mono"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open && hits.length > 0}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && hits[activeIdx] ? `${id}-opt-${activeIdx}` : undefined}
          placeholder={placeholder}
          value={query}
          data-testid={testid}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            // let a click on an option land first
            setTimeout(() => {
              setOpen(false);
              commitText();
            }, 120);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setOpen(true);
              setActive((activeIdx + 1) % Math.max(1, hits.length));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((activeIdx - 1 + hits.length) % Math.max(1, hits.length));
            } else if (e.key === 'Enter') {
              if (open && hits[activeIdx] && text !== undefined) {
                e.preventDefault();
                choose(hits[activeIdx]);
              } else commitText();
            } else if (e.key === 'Escape') {
              if (open) {
                e.preventDefault();
                e.stopPropagation();
                setOpen(false);
                setText(undefined);
              }
            }
          }}
        />
        {open && hits.length > 0 && (
          <ul className="combo-list popover" id={`${id}-list`} role="listbox" aria-label={`${label} choices`}>
            {hits.map((o, i) => (
              <li
                key={`${o.kind}:${o.label}`}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === activeIdx}
                className={`combo-item ${i === activeIdx ? 'active' : ''}`}
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => choose(o)}
                onPointerMove={() => setActive(i)}
              >
                <span className={`kind-tag ${o.kind}`}>{kindWords[o.kind]}</span>
                <span className="combo-label mono">{o.label}</span>
                <span className="combo-detail">{o.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
