import type { LabelSelector, Pod } from '../../k8s/types';
import { matchesSelector } from '../../engine/selector';
import type { LintFinding } from '../../engine/types';
import type { LintContext } from '../context';
import {
  editDistance,
  listSome,
  namespacesMatching,
  podKey,
  podsMatchingPeer,
  podsSelectedByPolicy,
} from '../context';
import { jsonPatchCommand, patchFix, refOf } from '../fix';
import { containerPorts, peersOf, rulesOf } from './np-model';

type Obj = Record<string, unknown>;

export function policyTypesDisablesRules(ctx: LintContext, out: LintFinding[]): void {
  for (const np of ctx.snapshot.networkPolicies) {
    const types = np.spec?.policyTypes;
    if (!types || !types.length) continue;
    for (const [dir, type] of [
      ['ingress', 'Ingress'],
      ['egress', 'Egress'],
    ] as const) {
      const n = (np.spec?.[dir] ?? []).length;
      if (!n || types.includes(type)) continue;
      out.push({
        rule: 'policy-types-disables-rules',
        severity: 'warning',
        object: refOf(np),
        message: `${np.metadata.namespace}/${np.metadata.name} has ${n} ${dir} rule${n === 1 ? '' : 's'} but policyTypes is [${types.join(', ')}] without ${type}: the ${dir} rules are ignored.`,
        fix: patchFix(
          np,
          `Add ${type} to policyTypes (this also isolates the selected pods for ${dir})`,
          (copy) => {
            ((copy.spec as Obj).policyTypes as string[]).push(type);
          },
          jsonPatchCommand('networkpolicy', np.metadata.namespace, np.metadata.name, [
            { op: 'add', path: '/spec/policyTypes/-', value: type },
          ]),
        ),
      });
    }
  }
}

function exposes(pod: Pod, name: string, protocol: string): boolean {
  return containerPorts(pod).some((p) => p.name === name && p.protocol === protocol);
}

function similarNames(pods: Pod[], name: string, protocol: string): string[] {
  const names = new Set<string>();
  for (const p of pods)
    for (const cp of containerPorts(p)) if (cp.name && cp.protocol === protocol) names.add(cp.name);
  return [...names].filter((n) => editDistance(n, name, 2) <= 2).sort();
}

export function namedPortNotExposed(ctx: LintContext, out: LintFinding[]): void {
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    for (const dir of ['ingress', 'egress'] as const) {
      rulesOf(np, dir).forEach((rule, i) => {
        (rule.ports ?? []).forEach((entry, j) => {
          if (!entry || typeof entry.port !== 'string') return;
          const name = entry.port;
          const protocol = entry.protocol ?? 'TCP';
          const where = `${ns}/${np.metadata.name} ${dir}[${i}].ports[${j}]`;
          let targets: Pod[];
          let whose: string;
          if (dir === 'ingress') {
            targets = podsSelectedByPolicy(ctx, np);
            whose = 'pod selected by the policy';
          } else {
            const peers = peersOf(rule, 'egress');
            if (peers.length && peers.every((p) => p.ipBlock)) {
              out.push({
                rule: 'named-port-not-exposed',
                severity: 'warning',
                object: refOf(np),
                message: `${where}: named port "${name}" can only match pods, but every peer of this rule is an ipBlock: the rule matches nothing.`,
              });
              return;
            }
            targets = peers.length
              ? [...new Set(peers.flatMap((p) => podsMatchingPeer(ctx, ns, p) ?? []))]
              : ctx.pods;
            whose = 'destination pod of this rule';
          }
          if (!targets.length) return; // selects no pod: reported by the selector rules
          const having = targets.filter((p) => exposes(p, name, protocol));
          if (having.length === targets.length) return;
          const similar = similarNames(targets, name, protocol);
          const hint = similar.length ? ` Did you mean ${similar.map((s) => `"${s}"`).join(' or ')}?` : '';
          if (!having.length) {
            out.push({
              rule: 'named-port-not-exposed',
              severity: 'warning',
              object: refOf(np),
              message: `${where}: no ${whose} exposes a container port named "${name}" (${protocol}), so this port entry matches nothing.${hint}`,
              ...(similar.length === 1 && dir === 'ingress'
                ? {
                    fix: patchFix(np, `Use the port name "${similar[0]}"`, (copy) => {
                      (((copy.spec as Obj)[dir] as Obj[])[i].ports as Obj[])[j].port = similar[0];
                    }),
                  }
                : {}),
            });
          } else if (dir === 'ingress') {
            const missing = targets.filter((p) => !exposes(p, name, protocol));
            out.push({
              rule: 'named-port-not-exposed',
              severity: 'info',
              object: refOf(np),
              message: `${where}: named port "${name}" (${protocol}) is exposed by ${having.length} of ${targets.length} selected pods; on ${listSome(missing.map(podKey), 3)} this entry matches nothing.`,
            });
          }
        });
      });
    }
  }
}

/** Pods of an ANP/CNP subject or peer (`namespaces` or `pods`). */
function adminPods(
  ctx: LintContext,
  s:
    | { namespaces?: LabelSelector; pods?: { namespaceSelector: LabelSelector; podSelector: LabelSelector } }
    | undefined,
): Pod[] {
  const nsSel = s?.namespaces ?? s?.pods?.namespaceSelector;
  if (!s || !nsSel) return [];
  return namespacesMatching(ctx, nsSel)
    .flatMap((n) => ctx.podsByNs.get(n) ?? [])
    .filter((p) => !s.pods || matchesSelector(s.pods.podSelector, p.metadata.labels));
}

/** Named ports in AdminNetworkPolicy/BaselineAdminNetworkPolicy (`namedPort`) and ClusterNetworkPolicy (`destinationNamedPort`). */
export function adminNamedPortNotExposed(ctx: LintContext, out: LintFinding[]): void {
  const families = [
    ['AdminNetworkPolicy', ctx.snapshot.adminNetworkPolicies],
    ['BaselineAdminNetworkPolicy', ctx.snapshot.baselineAdminNetworkPolicies],
    ['ClusterNetworkPolicy', ctx.snapshot.clusterNetworkPolicies],
  ] as const;
  for (const [kind, list] of families) {
    for (const pol of list) {
      const spec = pol.spec as unknown as Obj;
      for (const [dir, key] of [
        ['ingress', 'from'],
        ['egress', 'to'],
      ] as const) {
        const rules = (spec[dir] ?? []) as Obj[];
        rules.forEach((rule, i) => {
          const entries = ((rule.ports ?? rule.protocols ?? []) as Obj[]).filter(Boolean);
          const names = entries
            .map((e) => e.namedPort ?? e.destinationNamedPort)
            .filter((n): n is string => typeof n === 'string');
          if (!names.length) return;
          const targets =
            dir === 'ingress'
              ? adminPods(ctx, spec.subject as Parameters<typeof adminPods>[1])
              : [
                  ...new Set(
                    ((rule[key] ?? []) as Parameters<typeof adminPods>[1][]).flatMap((peer) =>
                      adminPods(ctx, peer),
                    ),
                  ),
                ];
          if (!targets.length) return;
          for (const name of names) {
            if (targets.some((p) => containerPorts(p).some((cp) => cp.name === name))) continue;
            out.push({
              rule: 'named-port-not-exposed',
              severity: 'warning',
              object: refOf(pol, kind),
              message: `${kind} ${pol.metadata.name} ${dir}[${i}]: no ${dir === 'ingress' ? 'subject' : 'destination'} pod exposes a container port named "${name}", so this port entry matches nothing.`,
            });
          }
        });
      }
    }
  }
}
