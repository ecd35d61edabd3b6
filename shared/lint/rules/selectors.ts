import type {
  AdminNetworkPolicyPeer,
  AdminNetworkPolicySubject,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  Pod,
} from '../../k8s/types';
import type { LintFinding } from '../../engine/types';
import { formatSelector, isEmptySelector, matchesSelector } from '../../engine/selector';
import type { LintContext } from '../context';
import {
  NS_NAME_LABEL,
  editDistance,
  listSome,
  namespacesMatching,
  plural,
  podKey,
  podsMatchingPeer,
  podsSelectedByPolicy,
} from '../context';
import { jsonPatchCommand, patchFix, pointer, refOf, shq } from '../fix';

type Obj = Record<string, unknown>;

interface LabelSuggestion {
  key: string;
  from: string;
  to: string;
}

/**
 * A matchLabels value one or two edits away from a value that exists on the candidates, such that
 * replacing it makes the selector match: the classic typo (`redis-cahce` for `redis-cache`).
 */
export function suggestLabelFix(
  sel: LabelSelector,
  candidates: Record<string, string>[],
): LabelSuggestion | undefined {
  let best: (LabelSuggestion & { d: number }) | undefined;
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    const values = new Set<string>();
    for (const labels of candidates)
      if (labels[key] !== undefined && labels[key] !== value) values.add(labels[key]);
    for (const v of values) {
      const d = editDistance(value, v, 2);
      if (d > 2 || d >= Math.max(value.length, v.length)) continue;
      const fixed: LabelSelector = { ...sel, matchLabels: { ...sel.matchLabels, [key]: v } };
      if (!candidates.some((l) => matchesSelector(fixed, l))) continue;
      if (!best || d < best.d) best = { key, from: value, to: v, d };
    }
  }
  return best && { key: best.key, from: best.from, to: best.to };
}

function policyWhere(np: NetworkPolicy): string {
  return `${np.metadata.namespace}/${np.metadata.name}`;
}

function podNames(pods: Pod[]): string[] {
  return pods.map(podKey);
}

export function policySelectsNoPod(ctx: LintContext, out: LintFinding[]): void {
  for (const np of ctx.snapshot.networkPolicies) {
    const sel = np.spec?.podSelector ?? {};
    if (isEmptySelector(sel)) continue;
    if (podsSelectedByPolicy(ctx, np).length > 0) continue;
    const ns = np.metadata.namespace ?? 'default';
    const nsPods = ctx.podsByNs.get(ns) ?? [];
    const ref = refOf(np);
    if (nsPods.length === 0) {
      out.push({
        rule: 'policy-selects-no-pod',
        severity: 'info',
        object: ref,
        message: `${policyWhere(np)} selects no pod: namespace ${ns} has no pods (yet).`,
      });
      continue;
    }
    const elsewhere = ctx.pods.filter(
      (p) => p.metadata.namespace !== ns && matchesSelector(sel, p.metadata.labels),
    );
    const suggestion = suggestLabelFix(
      sel,
      nsPods.map((p) => p.metadata.labels ?? {}),
    );
    let message = `${policyWhere(np)} selects no pod: no pod in namespace ${ns} has labels ${formatSelector(sel)}, so its rules apply to nothing.`;
    let fix;
    if (suggestion) {
      const fixedSel: LabelSelector = {
        ...sel,
        matchLabels: { ...sel.matchLabels, [suggestion.key]: suggestion.to },
      };
      const matched = nsPods.filter((p) => matchesSelector(fixedSel, p.metadata.labels));
      message += ` Did you mean ${suggestion.key}=${suggestion.to}? (${plural(matched.length, 'pod')}: ${listSome(podNames(matched))})`;
      fix = patchFix(
        np,
        `Change the podSelector label ${suggestion.key}=${suggestion.from} to ${suggestion.key}=${suggestion.to}`,
        (copy) => {
          (((copy.spec as Obj).podSelector as Obj).matchLabels as Obj)[suggestion.key] = suggestion.to;
        },
        jsonPatchCommand('networkpolicy', ns, np.metadata.name, [
          {
            op: 'replace',
            path: pointer('spec', 'podSelector', 'matchLabels', suggestion.key),
            value: suggestion.to,
          },
        ]),
      );
    } else if (elsewhere.length) {
      message += ` Pods with these labels exist in other namespaces (${listSome(podNames(elsewhere), 3)}); a NetworkPolicy only selects pods in its own namespace.`;
    }
    const hostNet = ctx.snapshot.pods.filter(
      (p) => p.spec?.hostNetwork && p.metadata.namespace === ns && matchesSelector(sel, p.metadata.labels),
    );
    if (hostNet.length)
      message += ` It matches only hostNetwork pods (${listSome(podNames(hostNet), 3)}), which use the node's network: NetworkPolicy does not apply to them.`;
    out.push({
      rule: 'policy-selects-no-pod',
      severity: 'warning',
      object: ref,
      message,
      ...(fix ? { fix } : {}),
    });
  }
  for (const [kind, list] of [
    ['AdminNetworkPolicy', ctx.snapshot.adminNetworkPolicies],
    ['BaselineAdminNetworkPolicy', ctx.snapshot.baselineAdminNetworkPolicies],
    ['ClusterNetworkPolicy', ctx.snapshot.clusterNetworkPolicies],
  ] as const) {
    for (const p of list) {
      const subject = p.spec?.subject;
      if (!subject) continue;
      if (subjectPods(ctx, subject).length > 0) continue;
      out.push({
        rule: 'policy-selects-no-pod',
        severity: 'warning',
        object: refOf(p, kind),
        message: `${kind} ${p.metadata.name} selects no pod: its subject (${describeAdminSelector(subject)}) matches no pod in the snapshot.`,
      });
    }
  }
}

function describeAdminSelector(s: AdminNetworkPolicySubject | AdminNetworkPolicyPeer): string {
  if (s.namespaces) return `namespaces ${formatSelector(s.namespaces)}`;
  if (s.pods)
    return `pods ${formatSelector(s.pods.podSelector)} in namespaces ${formatSelector(s.pods.namespaceSelector)}`;
  return 'nothing';
}

function subjectPods(ctx: LintContext, s: AdminNetworkPolicySubject): Pod[] {
  const nsSel = s.namespaces ?? s.pods?.namespaceSelector;
  if (!nsSel) return [];
  const out: Pod[] = [];
  for (const ns of namespacesMatching(ctx, nsSel))
    for (const p of ctx.podsByNs.get(ns) ?? [])
      if (!s.pods || matchesSelector(s.pods.podSelector, p.metadata.labels)) out.push(p);
  return out;
}

/** `name: X` where namespaces carry only `kubernetes.io/metadata.name: X` (or a near-miss value). */
function namespaceSuggestion(
  ctx: LintContext,
  sel: LabelSelector,
): { namespace: string; key: string; value: string; to?: LabelSuggestion } | undefined {
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    if (key === NS_NAME_LABEL) continue;
    if (ctx.nsLabels.has(value) && ctx.nsLabels.get(value)?.[key] === undefined)
      return { namespace: value, key, value };
  }
  const suggestion = suggestLabelFix(sel, [...ctx.nsLabels.values()]);
  if (suggestion) return { namespace: '', key: suggestion.key, value: suggestion.from, to: suggestion };
  return undefined;
}

function nsSelectorFinding(
  ctx: LintContext,
  obj: { kind: string; metadata: { name: string; namespace?: string } },
  kind: string,
  where: string,
  sel: LabelSelector,
  path: (string | number)[],
): LintFinding {
  const s = namespaceSuggestion(ctx, sel);
  let message = `${where}: namespaceSelector ${formatSelector(sel)} matches no namespace.`;
  let fix;
  const isNp = kind === 'NetworkPolicy';
  if (s && !s.to) {
    message += ` Namespace ${s.namespace} has no label ${s.key}; every namespace carries the automatic label ${NS_NAME_LABEL}=${s.namespace}. Select it with ${NS_NAME_LABEL}: ${s.namespace} (or label the namespace).`;
    const setPath = (copy: Obj) => {
      let node: Obj = copy;
      for (const seg of path) node = node[seg as keyof Obj] as Obj;
      const ml = node.matchLabels as Record<string, string>;
      delete ml[s.key];
      ml[NS_NAME_LABEL] = s.namespace;
    };
    fix = {
      ...patchFix(
        obj,
        `Select the namespace by ${NS_NAME_LABEL}=${s.namespace} (or run the command to add the label ${s.key}=${s.value} to the namespace)`,
        setPath,
      ),
      command: `kubectl label namespace ${shq(s.namespace)} ${shq(`${s.key}=${s.value}`)}`,
    };
    if (!isNp) fix = { description: fix.description, command: fix.command, patch: fix.patch, yaml: fix.yaml };
  } else if (s?.to) {
    const to = s.to;
    message += ` Did you mean ${to.key}=${to.to}?`;
    fix = patchFix(obj, `Change ${to.key}=${to.from} to ${to.key}=${to.to}`, (copy) => {
      let node: Obj = copy;
      for (const seg of path) node = node[seg as keyof Obj] as Obj;
      (node.matchLabels as Record<string, string>)[to.key] = to.to;
    });
  }
  return {
    rule: 'namespace-selector-matches-nothing',
    severity: 'warning',
    object: refOf(obj, kind),
    message,
    ...(fix ? { fix } : {}),
  };
}

/** Calls `visit` with the peer list of every ingress (`from`) and egress (`to`) rule of a NetworkPolicy. */
function forEachRulePeers(
  np: NetworkPolicy,
  visit: (
    dir: 'ingress' | 'egress',
    key: 'from' | 'to',
    ruleIndex: number,
    peers: (NetworkPolicyPeer | null)[],
  ) => void,
): void {
  for (const [dir, key] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = (np.spec?.[dir] ?? []) as Array<{
      from?: NetworkPolicyPeer[];
      to?: NetworkPolicyPeer[];
    } | null>;
    rules.forEach((rule, i) => visit(dir, key, i, (rule?.[key] ?? []) as (NetworkPolicyPeer | null)[]));
  }
}

export function selectorPeers(ctx: LintContext, out: LintFinding[]): void {
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    forEachRulePeers(np, (dir, key, i, peers) => {
      peers.forEach((peer, j) => {
        if (!peer || peer.ipBlock) return;
        const where = `${policyWhere(np)} ${dir}[${i}].${key}[${j}]`;
        if (peer.namespaceSelector && namespacesMatching(ctx, peer.namespaceSelector).length === 0) {
          out.push(
            nsSelectorFinding(ctx, np, 'NetworkPolicy', where, peer.namespaceSelector, [
              'spec',
              dir,
              i,
              key,
              j,
              'namespaceSelector',
            ]),
          );
          return;
        }
        if (!peer.podSelector || isEmptySelector(peer.podSelector)) return;
        const matched = podsMatchingPeer(ctx, ns, peer) ?? [];
        if (matched.length) return;
        const scope = peer.namespaceSelector
          ? namespacesMatching(ctx, peer.namespaceSelector).flatMap((n) => ctx.podsByNs.get(n) ?? [])
          : (ctx.podsByNs.get(ns) ?? []);
        const suggestion = suggestLabelFix(
          peer.podSelector,
          scope.map((p) => p.metadata.labels ?? {}),
        );
        let message = `${where}: podSelector ${formatSelector(peer.podSelector)} matches no pod${peer.namespaceSelector ? ` in namespaces ${formatSelector(peer.namespaceSelector)}` : ` in namespace ${ns} (without a namespaceSelector a podSelector peer only looks in the policy's own namespace)`}.`;
        let fix;
        if (suggestion) {
          message += ` Did you mean ${suggestion.key}=${suggestion.to}?`;
          fix = patchFix(
            np,
            `Change ${suggestion.key}=${suggestion.from} to ${suggestion.key}=${suggestion.to}`,
            (copy) => {
              const p = ((((copy.spec as Obj)[dir] as Obj[])[i][key] as Obj[])[j].podSelector as Obj)
                .matchLabels as Obj;
              p[suggestion.key] = suggestion.to;
            },
          );
        } else if (!peer.namespaceSelector) {
          const elsewhere = ctx.pods.filter(
            (p) => p.metadata.namespace !== ns && matchesSelector(peer.podSelector!, p.metadata.labels),
          );
          if (elsewhere.length)
            message += ` Matching pods exist in other namespaces (${listSome(podNames(elsewhere), 3)}): add a namespaceSelector to the same peer.`;
        }
        out.push({
          rule: 'peer-matches-no-pod',
          severity: 'warning',
          object: refOf(np),
          message,
          ...(fix ? { fix } : {}),
        });
      });
    });
  }
  // cluster-scoped policies: subjects and peers with namespace selectors that match nothing
  for (const [kind, list] of [
    ['AdminNetworkPolicy', ctx.snapshot.adminNetworkPolicies],
    ['BaselineAdminNetworkPolicy', ctx.snapshot.baselineAdminNetworkPolicies],
    ['ClusterNetworkPolicy', ctx.snapshot.clusterNetworkPolicies],
  ] as const) {
    for (const p of list) {
      const spec = p.spec;
      if (!spec) continue;
      const check = (where: string, sel: LabelSelector | undefined, path: (string | number)[]) => {
        if (sel && namespacesMatching(ctx, sel).length === 0)
          out.push(nsSelectorFinding(ctx, p, kind, where, sel, path));
      };
      check(`${kind} ${p.metadata.name} subject`, spec.subject?.namespaces, [
        'spec',
        'subject',
        'namespaces',
      ]);
      check(`${kind} ${p.metadata.name} subject`, spec.subject?.pods?.namespaceSelector, [
        'spec',
        'subject',
        'pods',
        'namespaceSelector',
      ]);
      for (const [dir, key] of [
        ['ingress', 'from'],
        ['egress', 'to'],
      ] as const) {
        (spec[dir] ?? []).forEach((rule, i) => {
          const peers = ((rule as unknown as Obj)[key] ?? []) as AdminNetworkPolicyPeer[];
          peers.forEach((peer, j) => {
            const where = `${kind} ${p.metadata.name} ${dir}[${i}].${key}[${j}]`;
            check(where, peer?.namespaces, ['spec', dir, i, key, j, 'namespaces']);
            check(where, peer?.pods?.namespaceSelector, [
              'spec',
              dir,
              i,
              key,
              j,
              'pods',
              'namespaceSelector',
            ]);
          });
        });
      }
    }
  }
}

function onlyKeys(peer: NetworkPolicyPeer | null, ...keys: (keyof NetworkPolicyPeer)[]): boolean {
  if (!peer) return false;
  const set = (['podSelector', 'namespaceSelector', 'ipBlock'] as const).filter(
    (k) => peer[k] !== undefined && peer[k] !== null,
  );
  return set.length === keys.length && keys.every((k) => set.includes(k));
}

export function peersLookLikeAnd(ctx: LintContext, out: LintFinding[]): void {
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    forEachRulePeers(np, (dir, key, i, peers) => {
      const nsIdx = peers.findIndex((p) => onlyKeys(p, 'namespaceSelector'));
      const podIdx = peers.findIndex((p) => onlyKeys(p, 'podSelector'));
      if (nsIdx === -1 || podIdx === -1) return;
      const nsSel = peers[nsIdx]!.namespaceSelector!;
      const podSel = peers[podIdx]!.podSelector!;
      if (isEmptySelector(nsSel) && isEmptySelector(podSel)) return;
      const namespaces = namespacesMatching(ctx, nsSel);
      const nsPods = namespaces.flatMap((n) => ctx.podsByNs.get(n) ?? []);
      const intended = nsPods.filter((p) => matchesSelector(podSel, p.metadata.labels));
      const localMatches = (ctx.podsByNs.get(ns) ?? []).filter((p) =>
        matchesSelector(podSel, p.metadata.labels),
      );
      const extra = nsPods.filter((p) => !matchesSelector(podSel, p.metadata.labels));
      const verb = dir === 'ingress' ? 'allows traffic from' : 'allows traffic to';
      let message =
        `${policyWhere(np)} ${dir}[${i}] lists namespaceSelector ${formatSelector(nsSel)} and podSelector ${formatSelector(podSel)} as two separate peers, which are ORed: ` +
        `it ${verb} every pod in namespaces ${formatSelector(nsSel)} (${namespaces.length ? listSome(namespaces) : 'none'}) OR pods ${formatSelector(podSel)} in namespace ${ns}.`;
      if (intended.length && !localMatches.length)
        message += ` Pods ${formatSelector(podSel)} exist only in the selected namespaces (${listSome(podNames(intended), 3)}), so one peer with both selectors (AND) was probably meant.`;
      if (extra.length) message += ` As written it also ${verb} ${listSome(podNames(extra), 3)}.`;
      const fix = patchFix(
        np,
        `Put both selectors in one peer (pods ${formatSelector(podSel)} in namespaces ${formatSelector(nsSel)}): remove the "-" in front of podSelector`,
        (copy) => {
          const list = ((copy.spec as Obj)[dir] as Obj[])[i][key] as Obj[];
          const merged = {
            namespaceSelector: list[nsIdx].namespaceSelector,
            podSelector: list[podIdx].podSelector,
          };
          const kept = list.filter((_, k) => k !== nsIdx && k !== podIdx);
          kept.splice(Math.min(nsIdx, podIdx), 0, merged);
          ((copy.spec as Obj)[dir] as Obj[])[i][key] = kept;
        },
      );
      out.push({ rule: 'peers-look-like-and', severity: 'warning', object: refOf(np), message, fix });
    });
  }
}
