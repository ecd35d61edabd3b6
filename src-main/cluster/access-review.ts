/** SelfSubjectAccessReview: may the current user list this resource (cluster-wide or in a namespace)? */
import type { AccessGap } from '@shared/snapshot/types';
import { ApiStatusError } from './errors';
import type { ClusterHttp } from './cluster-http';
import { resourceLabel, type ResourceSpec } from './resources';

export type AccessAnswer = 'allowed' | 'denied' | 'unknown';

interface SSARResponse {
  status?: { allowed?: boolean; denied?: boolean; reason?: string };
}

export async function canList(
  http: ClusterHttp,
  spec: ResourceSpec,
  namespace: string | undefined,
  signal?: AbortSignal,
): Promise<AccessAnswer> {
  try {
    const r = await http.requestJson<SSARResponse>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      signal,
      timeoutMs: 20_000,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: 'list',
            group: spec.group,
            resource: spec.plural,
            ...(namespace ? { namespace } : {}),
          },
        },
      },
    });
    return r.status?.allowed ? 'allowed' : 'denied';
  } catch (err) {
    // The review API itself may be unavailable or forbidden: then the list will tell (403 → gap).
    if (err instanceof ApiStatusError) return 'unknown';
    throw err;
  }
}

/** "cannot list networkpolicies in namespace backend" / "cannot list nodes" / "... in any namespace" */
export function accessGap(spec: ResourceSpec, namespace: string | undefined, why?: string): AccessGap {
  const res = resourceLabel(spec);
  const where = namespace ? ` in namespace ${namespace}` : spec.namespaced ? ' cluster-wide' : '';
  return {
    verb: 'list',
    resource: spec.plural,
    ...(spec.group ? { group: spec.group } : {}),
    ...(namespace ? { namespace } : {}),
    message: `cannot list ${res}${where}${why ? ` (${why})` : ''}`,
  };
}
