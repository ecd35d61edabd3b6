/**
 * Trims live objects to what the analysis reads. Drops managedFields and last-applied-configuration (which
 * can hold a ConfigMap's whole data), keeps only known ConfigMap keys, and never keeps environment values
 * of ordinary workloads (they can hold passwords). Secrets are never listed at all.
 */
import { KEPT_CONFIGMAP_KEYS, apiVersionOf, type ResourceSpec } from './resources';

type Obj = Record<string, unknown>;

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function metadataOf(raw: unknown): Obj {
  const m = (raw && typeof raw === 'object' ? raw : {}) as Obj;
  const out: Obj = {};
  for (const k of [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'labels',
    'ownerReferences',
    'deletionTimestamp',
  ]) {
    if (m[k] !== undefined) out[k] = m[k];
  }
  if (m.annotations && typeof m.annotations === 'object') {
    const ann: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.annotations as Record<string, string>))
      if (!DROPPED_ANNOTATIONS.includes(k)) ann[k] = v;
    if (Object.keys(ann).length) out.annotations = ann;
  }
  return out;
}

/** Env vars kept on CNI workloads: switches like ENABLE_NETWORK_POLICY, FELIX_*, never anything secret. */
const KEPT_ENV =
  /^(ENABLE_|FELIX_|CALICO_|CLUSTER_TYPE$|NETWORK_POLICY|NPM_|CNI_|IP$|DATASTORE_TYPE$|KUBERNETES_SERVICE_)/;
const SECRET_ENV = /TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH/i;

function containers(raw: unknown, keepEnv: boolean): Obj[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((c: Obj) => {
    const out: Obj = { name: c.name };
    if (c.image !== undefined) out.image = c.image;
    if (c.ports !== undefined) out.ports = c.ports;
    if (keepEnv) {
      if (c.args !== undefined) out.args = c.args;
      if (c.command !== undefined) out.command = c.command;
      if (Array.isArray(c.env)) {
        const env = (c.env as Obj[])
          .filter(
            (e) =>
              typeof e.name === 'string' &&
              KEPT_ENV.test(e.name) &&
              !SECRET_ENV.test(e.name) &&
              typeof e.value === 'string',
          )
          .map((e) => ({ name: e.name, value: e.value }));
        if (env.length) out.env = env;
      }
    }
    return out;
  });
}

function podSpec(raw: unknown, keepEnv: boolean): Obj {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Obj;
  const out: Obj = { containers: containers(s.containers, keepEnv) ?? [] };
  const init = containers(s.initContainers, keepEnv);
  if (init) out.initContainers = init;
  for (const k of ['nodeName', 'hostNetwork', 'serviceAccountName']) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

function podStatus(raw: unknown): Obj | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const s = raw as Obj;
  const out: Obj = {};
  for (const k of ['phase', 'podIP', 'podIPs', 'hostIP', 'hostIPs', 'reason'])
    if (s[k] !== undefined) out[k] = s[k];
  if (Array.isArray(s.conditions))
    out.conditions = (s.conditions as Obj[]).map((c) => ({ type: c.type, status: c.status }));
  if (Array.isArray(s.containerStatuses)) {
    out.containerStatuses = (s.containerStatuses as Obj[]).map((c) => ({
      name: c.name,
      ready: c.ready,
      restartCount: c.restartCount,
      image: c.image,
    }));
  }
  return out;
}

/** CNI and system workloads keep args and switch-like env vars (aws-eks-nodeagent flags, FELIX_*). */
function isSystemWorkload(meta: Obj): boolean {
  return (
    typeof meta.namespace === 'string' &&
    /^(kube-system|kube-flannel|calico-system|tigera-operator|cilium|cilium-system|calico-apiserver)$/.test(
      meta.namespace,
    )
  );
}

export function sanitizeObject(spec: ResourceSpec, raw: Obj): Obj {
  const metadata = metadataOf(raw.metadata);
  const base: Obj = { apiVersion: apiVersionOf(spec), kind: spec.kind, metadata };
  switch (spec.key) {
    case 'pods': {
      const out: Obj = { ...base, spec: podSpec(raw.spec, isSystemWorkload(metadata)) };
      const st = podStatus(raw.status);
      if (st) out.status = st;
      return out;
    }
    case 'daemonSets':
    case 'deployments': {
      const s = (raw.spec ?? {}) as Obj;
      const tpl = (s.template ?? {}) as Obj;
      const tplMeta = (tpl.metadata ?? {}) as Obj;
      const outSpec: Obj = {
        template: {
          metadata: tplMeta.labels ? { labels: tplMeta.labels } : {},
          spec: podSpec(tpl.spec, isSystemWorkload(metadata)),
        },
      };
      if (s.selector !== undefined) outSpec.selector = s.selector;
      if (s.replicas !== undefined) outSpec.replicas = s.replicas;
      const out: Obj = { ...base, spec: outSpec };
      if (raw.status) out.status = raw.status;
      return out;
    }
    case 'configMaps': {
      const name = String(metadata.name ?? '');
      const keep = KEPT_CONFIGMAP_KEYS[name] ?? [];
      const data: Record<string, string> = {};
      const src = (raw.data ?? {}) as Record<string, string>;
      for (const k of keep) if (typeof src[k] === 'string') data[k] = src[k];
      // Annotations of a ConfigMap are not needed and may echo its data.
      delete metadata.annotations;
      return { ...base, data };
    }
    case 'nodes': {
      const st = (raw.status ?? {}) as Obj;
      const status: Obj = {};
      if (st.addresses) status.addresses = st.addresses;
      if (Array.isArray(st.conditions))
        status.conditions = (st.conditions as Obj[]).map((c) => ({ type: c.type, status: c.status }));
      if (st.nodeInfo && typeof st.nodeInfo === 'object') {
        const ni = st.nodeInfo as Obj;
        status.nodeInfo = { kubeletVersion: ni.kubeletVersion, osImage: ni.osImage };
      }
      const s = (raw.spec ?? {}) as Obj;
      const spec: Obj = {};
      for (const k of ['podCIDR', 'podCIDRs', 'taints', 'unschedulable'])
        if (s[k] !== undefined) spec[k] = s[k];
      return { ...base, spec, status };
    }
    case 'namespaces':
      return raw.status ? { ...base, status: raw.status } : base;
    default: {
      // Policies and services: kept whole (spec, specs, status), minus the trimmed metadata.
      const out: Obj = { ...raw, ...base };
      return out;
    }
  }
}
