import { useRef } from 'react';
import type { HubbleTlsSettings } from '@shared/api/contract';
import { useFlows, type HubbleConnection } from '../../stores/flows';

type PemField = 'ca' | 'cert' | 'key';

const PEM_LABELS: Record<PemField, string> = {
  ca: 'CA certificate',
  cert: 'Client certificate',
  key: 'Client key',
};

/**
 * Where "Live from Hubble" connects: Hubble Relay in the cluster (its Service, found and port-forwarded like
 * `hubble --port-forward`) or a Hubble address (like `hubble observe --server`, e.g. an existing
 * `cilium hubble port-forward`), and TLS: from the cluster's secrets, off, or certificate files.
 */
export function ConnectionPanel({ hasContext, onConnect }: { hasContext: boolean; onConnect: () => void }) {
  const conn = useFlows((s) => s.connection);
  const set = (patch: Partial<HubbleConnection>) =>
    useFlows.setState((s) => ({ connection: { ...s.connection, ...patch } }));
  const setTls = (patch: Partial<HubbleTlsSettings>) => set({ tls: { ...conn.tls, ...patch } });
  const target = hasContext ? conn.target : 'server';
  const inputs = {
    ca: useRef<HTMLInputElement>(null),
    cert: useRef<HTMLInputElement>(null),
    key: useRef<HTMLInputElement>(null),
  };

  const pick = async (field: PemField, files: FileList | null) => {
    const f = files?.[0];
    if (!f) return;
    const text = await f.text();
    setTls({ [field]: text });
    set({ fileNames: { ...conn.fileNames, [field]: f.name } });
  };

  const addressMissing = target === 'server' && !conn.address.trim();
  const keyPairIncomplete = conn.tls.mode === 'files' && !!conn.tls.cert !== !!conn.tls.key;

  return (
    <form
      className="connection-panel card card-pad stack"
      aria-label="Hubble connection"
      data-testid="connection-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (!addressMissing && !keyPairIncomplete) onConnect();
      }}
    >
      {hasContext ? (
        <div className="row wrap conn-targets" role="radiogroup" aria-label="Connect to">
          <label className="checkbox">
            <input
              type="radio"
              name="hubble-target"
              checked={target === 'relay'}
              onChange={() => set({ target: 'relay' })}
            />
            Hubble Relay in the cluster (port-forward)
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="hubble-target"
              checked={target === 'server'}
              onChange={() => set({ target: 'server' })}
            />
            A Hubble address
          </label>
        </div>
      ) : (
        <p className="muted">
          This snapshot has no cluster to port-forward to: give the address of a Hubble server or Relay you
          can reach, such as the one <code>cilium hubble port-forward</code> opens.
        </p>
      )}
      {target === 'relay' ? (
        <div className="row wrap">
          <TextField
            id="relay-ns"
            label="Relay namespace"
            value={conn.namespace}
            placeholder="kube-system"
            onChange={(v) => set({ namespace: v })}
          />
          <TextField
            id="relay-svc"
            label="Relay service"
            value={conn.service}
            placeholder="hubble-relay"
            onChange={(v) => set({ service: v })}
          />
        </div>
      ) : (
        <TextField
          id="hubble-address"
          label="Address (host:port)"
          value={conn.address}
          placeholder="127.0.0.1:4245 (e.g. from cilium hubble port-forward)"
          onChange={(v) => set({ address: v })}
          invalid={addressMissing}
        />
      )}
      <div className="row wrap">
        <div className="field">
          <label htmlFor="hubble-tls">TLS</label>
          <select
            id="hubble-tls"
            className="select"
            value={conn.tls.mode}
            onChange={(e) => setTls({ mode: e.target.value as HubbleTlsSettings['mode'] })}
          >
            <option value="auto">{target === 'relay' ? 'As the cluster sets it (secrets)' : 'Off'}</option>
            {target === 'relay' && <option value="off">Off</option>}
            <option value="files">Certificate files…</option>
          </select>
        </div>
        {conn.tls.mode === 'files' && (
          <>
            {(Object.keys(PEM_LABELS) as PemField[]).map((field) => (
              <div className="field" key={field}>
                <span className="field-label">{PEM_LABELS[field]}</span>
                <button type="button" className="btn small" onClick={() => inputs[field].current?.click()}>
                  {conn.fileNames[field] ?? 'Choose…'}
                </button>
                <input
                  ref={inputs[field]}
                  type="file"
                  className="visually-hidden"
                  tabIndex={-1}
                  aria-hidden="true"
                  accept=".pem,.crt,.key,.cert"
                  data-testid={`tls-file-${field}`}
                  onChange={(e) => {
                    void pick(field, e.target.files);
                    e.target.value = '';
                  }}
                />
              </div>
            ))}
            <TextField
              id="hubble-sni"
              label="Server name"
              value={conn.tls.serverName ?? ''}
              placeholder="ui.hubble-relay.cilium.io"
              onChange={(v) => setTls({ serverName: v || undefined })}
            />
          </>
        )}
      </div>
      {keyPairIncomplete && (
        <p className="bad-text" role="alert">
          Mutual TLS needs both the client certificate and its key.
        </p>
      )}
      <div className="row">
        <button
          type="submit"
          className="btn primary"
          disabled={addressMissing || keyPairIncomplete}
          data-testid="connect-hubble"
        >
          Connect
        </button>
        <span className="faint">
          The key stays in this app: it is used for the connection and never saved or shown.
        </span>
      </div>
    </form>
  );
}

/** A labelled one-line text input of the panel (its id doubles as the test id). */
function TextField(props: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  invalid?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="input mono"
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.id}
        aria-invalid={props.invalid}
      />
    </div>
  );
}
