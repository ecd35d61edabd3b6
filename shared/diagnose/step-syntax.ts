import type { PolicyRef } from '../engine/types';
import type { NetworkPolicy, NetworkPolicyPort } from '../k8s/types';
import { compareSelector, formatLabels } from './compare';
import { endpointName, isPolicyPod, type DiagnoseContext, type SideInfo } from './context';
import {
  andPeerRewrite,
  dnsEgressPolicy,
  findDnsPods,
  newObjectFix,
  orPeerPair,
  patchFix,
  rulePeers,
} from './fixes';
import { isEmptySelector } from '../engine/selector';
import { formatPolicyRef, namespaceLabels, policyKey, stableLabels } from './objects';
import { statusOf } from './status';
import type { DiagnoseStep, Evidence, StepFinding } from './types';

function isDnsQuestion(side: SideInfo): boolean {
  const { peer, port } = side.ctx;
  if (port === 53) return true;
  return peer.kind === 'pod' && (peer.labels['k8s-app'] === 'kube-dns' || /^(core|kube-)dns/.test(peer.name));
}

/** Does any rule of the policies selecting this side allow DNS (53) to somewhere? */
function allowsDnsSomewhere(side: SideInfo): boolean {
  return side.analyses.some(
    (a) =>
      a.selectsSubject &&
      a.appliesToDirection &&
      (a.policy.spec.egress ?? []).some(
        (r) =>
          !r.ports ||
          r.ports.length === 0 ||
          r.ports.some((p) => p.port === 53 || p.port === undefined || p.port === 'dns'),
      ),
  );
}

function portsText(ports: NetworkPolicyPort[] | undefined): string {
  if (!ports || !ports.length) return 'any port';
  return ports
    .map((p) => `${p.port ?? '*'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(', ');
}

/** Step 3 — syntax: schema errors and the classic mistakes in the policies involved. */
export function syntaxStep(
  c: DiagnoseContext,
  involved: PolicyRef[],
  covered: Set<string> = new Set(),
): DiagnoseStep {
  const evidence: Evidence[] = [];
  const findings: StepFinding[] = [];
  const involvedKeys = new Set(involved.map(policyKey));
  evidence.push({
    label: 'Policies checked',
    value: involved.length ? involved.map(formatPolicyRef).join(', ') : 'none',
    state: 'neutral',
  });

  // schema / validation errors found while loading
  for (const f of c.snapshot.loadFindings) {
    if (!f.object || !involvedKeys.has(policyKey(f.object))) continue;
    findings.push({
      severity: f.severity,
      code: `schema:${f.code}`,
      message: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}${f.field ? ` ${f.field}` : ''}: ${f.message}`,
    });
  }

  const ownPolicies = new Set<string>(covered);
  const add = (f: StepFinding) => {
    findings.push(f);
    if (f.policy) ownPolicies.add(policyKey(f.policy));
  };

  for (const side of c.sides) {
    const { direction, subject, peer } = side.ctx;
    const subjectName = endpointName(subject);
    for (const a of side.analyses) {
      if (!a.inSubjectNamespace) continue;
      // policyTypes leaving out a direction that has rules
      if (a.rulesIgnoredByPolicyTypes && a.selectsSubject) {
        const wouldAllow = a.rules.some((r) => r.matched);
        const dirType = direction === 'ingress' ? 'Ingress' : 'Egress';
        const after: NetworkPolicy = structuredClone(a.policy);
        after.spec.policyTypes = [...(a.policy.spec.policyTypes ?? ['Ingress']), dirType];
        add({
          severity: side.denied && wouldAllow ? 'error' : 'warning',
          code: 'policy-types',
          policy: a.ref,
          message: `${formatPolicyRef(a.ref)} has ${direction} rules, but policyTypes is [${(a.policy.spec.policyTypes ?? []).join(', ')}]: its ${direction} rules are ignored.`,
          fix: patchFix(
            `policy-types:${a.ref.namespace}/${a.ref.name}:${direction}`,
            `Add ${dirType} to policyTypes of ${formatPolicyRef(a.ref)}`,
            a.policy,
            after,
          ),
        });
      }
      if (!a.selectsSubject || !a.appliesToDirection) continue;
      for (const r of a.rules) {
        const peers = rulePeers(a.policy, direction, r.index);
        // OR vs AND peers
        const pair = orPeerPair(peers);
        if (pair && peers && isPolicyPod(peer) && r.ports.matched) {
          const nsSel = peers[pair.nsPeer].namespaceSelector!;
          const podSel = peers[pair.podPeer].podSelector!;
          const andMatches =
            compareSelector(nsSel, namespaceLabels(c.snapshot, peer.namespace), 'namespace', peer.namespace)
              .matched && compareSelector(podSel, peer.labels, 'pod', endpointName(peer)).matched;
          const viaOr = r.ports.matched && (r.peers[pair.nsPeer]?.matched || r.peers[pair.podPeer]?.matched);
          const otherAllows =
            side.analyses.some(
              (o) =>
                o.selectsSubject &&
                o.appliesToDirection &&
                o.rules.some((or) => or.matched && !(o === a && or.index === r.index)),
            ) || r.peers.some((p, i) => p.matched && i !== pair.nsPeer && i !== pair.podPeer);
          const decisive = !side.denied && viaOr && !andMatches && !otherAllows;
          const after = andPeerRewrite(a.policy, direction, r.index)!;
          const which = r.peers[pair.nsPeer]?.matched
            ? `every pod in namespaces ${formatLabels(nsSel.matchLabels)}`
            : `every pod with ${formatLabels(podSel.matchLabels)} in namespace ${a.ref.namespace}`;
          add({
            severity: decisive ? 'error' : 'warning',
            code: 'or-peers',
            policy: a.ref,
            message: decisive
              ? `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} lists namespaceSelector and podSelector as two peers, which are ORed: it admits ${which} — that is why ${endpointName(peer)} is allowed. To admit only matching pods in matching namespaces, put both selectors in ONE peer (AND).`
              : `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} lists namespaceSelector and podSelector as two separate peers (OR). If you meant "these pods in these namespaces", put both in one peer (AND).`,
            fix: patchFix(
              `and-peers:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}`,
              `Merge the two peers of ${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} into one (AND)`,
              a.policy,
              after,
            ),
          });
        }
        // named ports the destination does not expose
        const peerOk = r.anyPeer || r.peers.some((p) => p.matched);
        if (r.ports.missingNamedPort && side.denied && peerOk) {
          const name = r.ports.missingNamedPort;
          const after: NetworkPolicy = structuredClone(a.policy);
          const ports =
            direction === 'ingress'
              ? after.spec.ingress?.[r.index]?.ports
              : after.spec.egress?.[r.index]?.ports;
          for (const p of ports ?? []) if (p.port === name) p.port = side.ctx.port;
          add({
            severity: 'error',
            code: 'named-port',
            policy: a.ref,
            message: `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} allows port "${name}", but the destination pod exposes no container port named "${name}" (${side.ctx.protocol}); named ports resolve on the destination pod.`,
            fix: patchFix(
              `named-port:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}`,
              `Use port ${side.ctx.port} instead of "${name}"`,
              a.policy,
              after,
            ),
          });
        }
        // ipBlock over pod IPs
        for (const p of r.peers) {
          if (!p.ipBlock || !p.ipBlock.containsPeerIp || !isPolicyPod(peer) || !r.ports.matched) continue;
          if (p.failure === 'ipblock-skips-pods') {
            const after: NetworkPolicy = structuredClone(a.policy);
            const list = rulePeers(after, direction, r.index);
            if (list)
              list[p.index] = {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
                podSelector: { matchLabels: stableLabels(peer.labels) },
              };
            add({
              severity: side.denied ? 'error' : 'warning',
              code: 'ipblock-pods',
              policy: a.ref,
              message: `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} uses ipBlock ${p.ipBlock.cidr} to reach ${endpointName(peer)} (${peer.ip}), but ${c.cni?.name ?? 'this CNI'} does not match pod IPs with ipBlock. Select the pod with namespace and pod selectors.`,
              fix: patchFix(
                `ipblock:${a.ref.namespace}/${a.ref.name}:${direction}:${r.index}:${p.index}`,
                `Replace the ipBlock by selectors for ${endpointName(peer)}`,
                a.policy,
                after,
              ),
            });
          } else if (p.matched) {
            add({
              severity: 'warning',
              code: 'ipblock-pods',
              policy: a.ref,
              message: `${formatPolicyRef(a.ref)} ${direction} rule ${r.index + 1} matches ${endpointName(peer)} through ipBlock ${p.ipBlock.cidr}: this works with ${c.cni?.name ?? 'this CNI'}, but pod IPs change and other CNIs (Cilium) ignore ipBlock for pods. Prefer selectors.`,
            });
          }
        }
      }
    }
    // egress isolation without DNS
    if (
      direction === 'egress' &&
      (side.trace.isolated || side.analyses.some((a) => a.selectsSubject && a.appliesToDirection))
    ) {
      const isolating = side.analyses.filter((a) => a.selectsSubject && a.appliesToDirection);
      const broad = isolating.some((a) => isEmptySelector(a.policy.spec.podSelector));
      const podSel = broad ? undefined : stableLabels(subject.labels);
      const dnsKnown = findDnsPods(c.snapshot).length > 0;
      const dnsDenied = side.denied && isDnsQuestion(side);
      if (dnsDenied || (!allowsDnsSomewhere(side) && dnsKnown)) {
        const policy = dnsEgressPolicy(c.snapshot, subject.namespace, podSel);
        const by =
          isolating.map((a) => formatPolicyRef(a.ref)).join(', ') ||
          side.trace.isolatedBy.map(formatPolicyRef).join(', ');
        add({
          severity: dnsDenied ? 'error' : 'warning',
          code: 'missing-dns-egress',
          policy: isolating[0]?.ref,
          message: dnsDenied
            ? `${subjectName} is isolated for egress by ${by}, and no egress rule allows DNS (port 53 UDP/TCP) to the cluster DNS: the pod cannot resolve names.`
            : `${subjectName} is isolated for egress by ${by} and no rule allows DNS (53/UDP, 53/TCP): name resolution will fail for these pods.`,
          fix: newObjectFix(
            `dns-egress:${subject.namespace}`,
            `Allow DNS egress from ${broad ? `every pod in namespace ${subject.namespace}` : subjectName} to the cluster DNS`,
            policy,
          ),
        });
      }
    }
    for (const a of side.analyses) {
      if (!a.selectsSubject || !a.appliesToDirection) continue;
      const rules = direction === 'ingress' ? a.policy.spec.ingress : a.policy.spec.egress;
      evidence.push({
        label: `${formatPolicyRef(a.ref)} (${direction})`,
        value:
          rules && rules.length
            ? rules.map((r, i) => `rule ${i + 1}: ${portsText(r.ports)}`).join('; ')
            : `no ${direction} rules: isolates only (deny all)`,
        state: 'neutral',
        policy: a.ref,
      });
    }
  }

  // lint findings for the policies involved
  for (const f of c.lint) {
    if (!involvedKeys.has(policyKey(f.object))) continue;
    const text = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}: ${f.message}`;
    evidence.push({
      label: `lint ${f.rule}`,
      value: text,
      state: f.severity === 'info' ? 'neutral' : 'warn',
    });
    if (ownPolicies.has(policyKey(f.object))) continue;
    findings.push({
      severity: f.severity === 'error' ? 'warning' : 'info',
      code: `lint:${f.rule}`,
      message: text,
      fix: f.fix
        ? {
            ...f.fix,
            id: `lint:${f.rule}:${policyKey(f.object)}`,
            kind: f.fix.patch ? 'patch' : f.fix.yaml ? 'new-object' : 'command',
          }
        : undefined,
    });
  }

  const status = statusOf(findings);
  const summary =
    status === 'fail'
      ? findings.find((f) => f.severity === 'error')!.message
      : status === 'warn'
        ? findings.find((f) => f.severity === 'warning')!.message
        : 'The policies involved are valid and avoid the classic mistakes (OR/AND peers, policyTypes, DNS egress, named ports, ipBlock over pods).';
  return { id: 'syntax', title: 'Syntax', status, summary, evidence, findings };
}
