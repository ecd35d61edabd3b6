/**
 * Access reviews answered from the scenario RBAC: SelfSubjectAccessReview, SelfSubjectRulesReview,
 * SubjectAccessReview and LocalSubjectAccessReview (201 Created with `status`, or an error Status).
 */
import { isDiscoveryPath } from './discovery.js';
import { forbiddenStatus, type AuthUser, type Rbac } from './rbac.js';
import type { ResourceDef } from './resources.js';
import { failure, type K8sStatus } from './status.js';

export type ReviewAnswer = K8sStatus | { code: 201; body: Record<string, unknown> };

function created(body: Record<string, unknown>): ReviewAnswer {
  return { code: 201, body };
}

export function answerReview(
  rbac: Rbac,
  user: AuthUser,
  def: ResourceDef,
  namespace: string | undefined,
  body: unknown,
): ReviewAnswer {
  const obj = (body ?? {}) as { spec?: Record<string, unknown>; metadata?: Record<string, unknown> };
  const spec = obj.spec ?? {};
  const base = {
    kind: def.kind,
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(namespace ? { namespace } : {}) },
    spec,
  };
  let subject = user;
  if (def.plural === 'subjectaccessreviews' || def.plural === 'localsubjectaccessreviews') {
    if (
      !rbac.allows(user, {
        verb: 'create',
        group: def.group,
        resource: def.plural,
        ...(namespace ? { namespace } : {}),
      })
    ) {
      return forbiddenStatus(user, {
        verb: 'create',
        group: def.group,
        resource: def.plural,
        ...(namespace ? { namespace } : {}),
      });
    }
    subject = {
      name: String(spec.user ?? ''),
      groups: Array.isArray(spec.groups) ? (spec.groups as string[]) : [],
    };
  }
  if (def.plural === 'selfsubjectrulesreviews') {
    const ns = typeof spec.namespace === 'string' ? spec.namespace : '';
    if (!ns)
      return failure(
        422,
        'Invalid',
        'SelfSubjectRulesReview.authorization.k8s.io "" is invalid: spec.namespace: Required value: no namespace on request',
        { group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview' },
      );
    const rules = rbac.rulesInNamespace(user, ns);
    return created({
      ...base,
      status: {
        resourceRules: rules.map((r) => ({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? ['*'],
          resources: r.resources,
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
        })),
        nonResourceRules: [
          {
            verbs: ['get'],
            nonResourceURLs: [
              '/api',
              '/api/*',
              '/apis',
              '/apis/*',
              '/healthz',
              '/livez',
              '/openapi',
              '/openapi/*',
              '/readyz',
              '/version',
              '/version/',
            ],
          },
        ],
        incomplete: false,
      },
    });
  }
  const ra = spec.resourceAttributes as Record<string, unknown> | undefined;
  const nra = spec.nonResourceAttributes as Record<string, unknown> | undefined;
  let allowed = false;
  if (ra) {
    const resource = String(ra.resource ?? '');
    const sub = ra.subresource ? `/${String(ra.subresource)}` : '';
    const ns =
      def.plural === 'localsubjectaccessreviews'
        ? namespace
        : ra.namespace
          ? String(ra.namespace)
          : undefined;
    allowed = rbac.allows(subject, {
      verb: String(ra.verb ?? ''),
      group: String(ra.group ?? ''),
      resource: `${resource}${sub}`,
      ...(ns ? { namespace: ns } : {}),
      ...(ra.name ? { name: String(ra.name) } : {}),
    });
  } else if (nra) {
    const isMaster = subject.groups.includes('system:masters');
    allowed = isMaster || (String(nra.verb ?? 'get') === 'get' && isDiscoveryPath(String(nra.path ?? '')));
  } else {
    return failure(
      422,
      'Invalid',
      `${def.kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
      {
        group: 'authorization.k8s.io',
        kind: def.kind,
      },
    );
  }
  const status = allowed
    ? { allowed: true, reason: `RBAC: allowed by k8s-sim scenario rules for User "${subject.name}"` }
    : { allowed: false };
  return created({ ...base, status });
}
