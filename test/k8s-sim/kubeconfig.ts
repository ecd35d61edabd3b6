/** Kubeconfig files for the simulator: one context per user, with the CA embedded. */
import { stringify } from 'yaml';

export interface KubeconfigUser {
  name: string;
  token?: string;
  certPem?: string;
  keyPem?: string;
}

export interface KubeconfigOptions {
  /** Users that get a context (default: all scenario users). */
  users?: string[];
  /** Context name per user (`{alice: 'prod'}`) or parallel to `users`. Default `sim-<user>`. */
  contextNames?: Record<string, string> | string[];
  /** Cluster entry name (default `k8s-sim`). */
  clusterName?: string;
  /** Prefix for user entry names, so two files can be merged without duplicate names (default none). */
  userPrefix?: string;
  /** current-context (default: the first context; `null` writes none). */
  currentContext?: string | null;
  /** Default namespace of every context, or per user. */
  namespace?: string | Record<string, string>;
  /** Override the server URL (e.g. a closed port to test "unreachable"). */
  server?: string;
  /** Prefer `token` or `cert` when a user has both (default token). */
  prefer?: 'token' | 'cert';
}

export function kubeconfigYaml(
  url: string,
  caPem: string,
  allUsers: KubeconfigUser[],
  opts: KubeconfigOptions = {},
): string {
  const names = opts.users ?? allUsers.map((u) => u.name);
  const clusterName = opts.clusterName ?? 'k8s-sim';
  const prefix = opts.userPrefix ?? '';
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const contextName = (user: string, i: number): string => {
    const cn = opts.contextNames;
    if (Array.isArray(cn)) return cn[i] ?? `sim-${user}`;
    return cn?.[user] ?? `sim-${user}`;
  };
  const users = names.map((n) => {
    const u = allUsers.find((x) => x.name === n);
    if (!u) throw new Error(`k8s-sim: writeKubeconfig: no user "${n}" in the scenario`);
    const useCert = u.certPem && u.keyPem && (opts.prefer === 'cert' || !u.token);
    return {
      name: `${prefix}${n}`,
      user: useCert
        ? { 'client-certificate-data': b64(u.certPem!), 'client-key-data': b64(u.keyPem!) }
        : { token: u.token },
    };
  });
  const contexts = names.map((n, i) => {
    const ns = typeof opts.namespace === 'string' ? opts.namespace : opts.namespace?.[n];
    return {
      name: contextName(n, i),
      context: { cluster: clusterName, user: `${prefix}${n}`, ...(ns ? { namespace: ns } : {}) },
    };
  });
  const current = opts.currentContext === undefined ? contexts[0]?.name : opts.currentContext;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: clusterName,
        cluster: { server: opts.server ?? url, 'certificate-authority-data': b64(caPem) },
      },
    ],
    users,
    contexts,
    ...(current ? { 'current-context': current } : {}),
  });
}
