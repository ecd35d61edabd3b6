/**
 * Certificates for the simulator: a CA, a server certificate for 127.0.0.1/localhost and
 * client certificates (CN = user name, O = groups) signed by the CA. Generated in process with
 * `selfsigned` (WebCrypto, EC P-256: a few milliseconds each).
 */
import { X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface ClientCertOptions {
  user: string;
  groups?: string[];
  /** Certificate validity; an expired certificate is refused by the simulator with 401. */
  notBefore?: Date;
  notAfter?: Date;
}

const DAY = 24 * 3600 * 1000;

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

export async function generateCa(commonName = 'k8s-sim-ca'): Promise<KeyPair> {
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

export async function generateServerCert(ca: KeyPair): Promise<KeyPair> {
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.keyPem, cert: ca.certPem },
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: 'kubernetes.default.svc' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

export async function generateClientCert(ca: KeyPair, opts: ClientCertOptions): Promise<KeyPair> {
  const now = Date.now();
  const attrs = [
    ...(opts.groups ?? []).map((g) => ({ name: 'organizationName', value: escapeRdn(g) })),
    { name: 'commonName', value: escapeRdn(opts.user) },
  ];
  const pems = await selfsigned.generate(attrs, {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.keyPem, cert: ca.certPem },
    notBeforeDate: opts.notBefore ?? new Date(now - DAY),
    notAfterDate: opts.notAfter ?? new Date(now + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

/** Subject of a PEM certificate, for diagnostics. */
export function certSubject(pem: string): string {
  return new X509Certificate(pem).subject;
}
