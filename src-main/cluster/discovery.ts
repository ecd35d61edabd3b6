/**
 * Which API groups the server serves. A CRD that is not installed is "not installed", not an error:
 * its group is simply absent from `/apis`, or its resource from `/apis/<group>/<version>`.
 */
import { ApiStatusError } from './errors';
import { CONNECT_TIMEOUT_MS, type ClusterHttp } from './cluster-http';
import type { ResourceSpec } from './resources';

interface APIGroupList {
  groups?: {
    name: string;
    versions?: { groupVersion: string; version: string }[];
    preferredVersion?: { version: string };
  }[];
}

interface APIResourceList {
  resources?: { name: string; namespaced?: boolean; kind?: string; verbs?: string[] }[];
}

export interface Discovery {
  /** every served group/version, e.g. "cilium.io/v2", "v1" */
  groupVersions: string[];
  /** resources of the group/versions we looked into: "cilium.io/v2" -> ["ciliumnetworkpolicies", ...] */
  resources: Map<string, Set<string>>;
  /** which Calico API carries the policies, if any */
  calico?: { group: string; version: string };
}

const OPTIONAL_GROUP_VERSIONS = [
  'policy.networking.k8s.io/v1alpha1',
  'policy.networking.k8s.io/v1alpha2',
  'cilium.io/v2',
  'projectcalico.org/v3',
  'crd.projectcalico.org/v1',
];

/** The first request of a connection: also the reachability probe (fails fast with a clear error). */
export async function discover(http: ClusterHttp, signal?: AbortSignal): Promise<Discovery> {
  const list = await http.requestJson<APIGroupList>('/apis', { signal, timeoutMs: CONNECT_TIMEOUT_MS });
  const groupVersions = ['v1'];
  for (const g of list.groups ?? []) for (const v of g.versions ?? []) groupVersions.push(v.groupVersion);
  const served = new Set(groupVersions);
  const resources = new Map<string, Set<string>>();
  await Promise.all(
    OPTIONAL_GROUP_VERSIONS.filter((gv) => served.has(gv)).map(async (gv) => {
      try {
        const rl = await http.requestJson<APIResourceList>(`/apis/${gv}`, { signal, timeoutMs: 20_000 });
        resources.set(gv, new Set((rl.resources ?? []).map((r) => r.name)));
      } catch (err) {
        if (
          err instanceof ApiStatusError &&
          (err.statusCode === 404 || err.statusCode === 403 || err.statusCode === 503)
        ) {
          // 503: an aggregated API server (e.g. calico-apiserver) that is down; treat as not served.
          return;
        }
        throw err;
      }
    }),
  );
  const hasRes = (gv: string, plural: string) => resources.get(gv)?.has(plural) ?? false;
  let calico: Discovery['calico'];
  if (hasRes('projectcalico.org/v3', 'networkpolicies'))
    calico = { group: 'projectcalico.org', version: 'v3' };
  else if (hasRes('crd.projectcalico.org/v1', 'networkpolicies'))
    calico = { group: 'crd.projectcalico.org', version: 'v1' };
  return { groupVersions, resources, calico };
}

export function isServed(d: Discovery, spec: ResourceSpec): boolean {
  if (!spec.optional) return true;
  const gv = `${spec.group}/${spec.version}`;
  return d.resources.get(gv)?.has(spec.plural) ?? false;
}
