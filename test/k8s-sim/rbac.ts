/**
 * RBAC for the simulator: users (bearer token or client certificate) with allow-only rules, the
 * way Roles/ClusterRoles + bindings work: a rule without `namespaces` is bound cluster-wide (a
 * ClusterRoleBinding), a rule with `namespaces` only applies inside those namespaces (RoleBindings).
 * Group `system:masters` may do everything.
 */
import { qualifiedResource } from './resources.js';
import { failure, type K8sStatus } from './status.js';

export interface SimRule {
  verbs: string[];
  /** `pods`, `pods/portforward`, `*`, `pods/*`. */
  resources: string[];
  /** '' = core. Default ['*']. */
  apiGroups?: string[];
  /** Absent: cluster-wide (also cluster-scoped resources). Present: only in these namespaces. */
  namespaces?: string[];
  resourceNames?: string[];
}

export interface AuthUser {
  name: string;
  groups: string[];
}

export interface RequestAttributes {
  verb: string;
  group: string;
  /** plural, with `/subresource` for subresources */
  resource: string;
  namespace?: string;
  name?: string;
}

function listHas(list: string[] | undefined, value: string, dflt: string[]): boolean {
  const l = list ?? dflt;
  return l.includes('*') || l.includes(value);
}

export function ruleAllows(rule: SimRule, a: RequestAttributes): boolean {
  if (!listHas(rule.verbs, a.verb, [])) return false;
  if (!listHas(rule.apiGroups, a.group, ['*'])) return false;
  const base = a.resource.split('/')[0]!;
  const resOk =
    rule.resources.includes('*') ||
    rule.resources.includes(a.resource) ||
    (a.resource.includes('/') && rule.resources.includes(`${base}/*`));
  if (!resOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    if (!a.name || !rule.resourceNames.includes(a.name)) return false;
  }
  if (rule.namespaces) {
    if (!a.namespace) return false;
    if (!rule.namespaces.includes('*') && !rule.namespaces.includes(a.namespace)) return false;
  }
  return true;
}

export class Rbac {
  constructor(
    private readonly userRules: Map<string, SimRule[]>,
    private readonly groupRules: Map<string, SimRule[]>,
  ) {}

  rulesFor(user: AuthUser): SimRule[] {
    if (user.groups.includes('system:masters')) return [{ verbs: ['*'], resources: ['*'], apiGroups: ['*'] }];
    return [
      ...(this.userRules.get(user.name) ?? []),
      ...user.groups.flatMap((g) => this.groupRules.get(g) ?? []),
    ];
  }

  allows(user: AuthUser, a: RequestAttributes): boolean {
    return this.rulesFor(user).some((rule) => ruleAllows(rule, a));
  }

  /** The rules that apply in `namespace` (SelfSubjectRulesReview). */
  rulesInNamespace(user: AuthUser, namespace: string): SimRule[] {
    return this.rulesFor(user).filter(
      (r) => !r.namespaces || r.namespaces.includes('*') || r.namespaces.includes(namespace),
    );
  }
}

/** `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "backend"` */
export function forbiddenMessage(user: AuthUser, a: RequestAttributes): string {
  const base = a.resource.split('/')[0]!;
  const qr = qualifiedResource(base, a.group);
  const subject = a.name ? `${qr} "${a.name}" is forbidden` : `${qr} is forbidden`;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${subject}: User "${user.name}" cannot ${a.verb} resource "${a.resource}" in API group "${a.group}" ${scope}`;
}

/** The 403 Status the API server answers for a denied request. */
export function forbiddenStatus(user: AuthUser, a: RequestAttributes): K8sStatus {
  return failure(403, 'Forbidden', forbiddenMessage(user, a), {
    ...(a.name ? { name: a.name } : {}),
    ...(a.group ? { group: a.group } : {}),
    kind: a.resource.split('/')[0]!,
  });
}
