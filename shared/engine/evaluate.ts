/**
 * Per-direction evaluation for a trace, with full evidence (section 2.3 of policy-semantics.md):
 * admin tier → NetworkPolicy → baseline → default allow, plus the own-node exemption.
 */
import type { Endpoint } from './cluster';
import type { CompiledPolicies } from './compile';
import {
  checkNamespace,
  checkPeer,
  checkPorts,
  checkSelector,
  subjectSelects,
  type Flow,
  type MatchOptions,
} from './match';
import type { PolicyIR, RuleIR } from './model';
import type {
  Direction,
  DirectionTrace,
  PolicyEvaluation,
  RuleEvaluation,
  RuleRef,
  SelectorCheck,
  Tier,
} from './types';

export interface DirectionContext {
  compiled: CompiledPolicies;
  opts: MatchOptions;
}

export function ruleRef(p: PolicyIR, dir: Direction, r: RuleIR): RuleRef {
  return {
    policy: p.ref,
    direction: dir,
    index: r.index,
    ...(r.name ? { name: r.name } : {}),
    action: r.action,
  };
}

export function policyLabel(p: PolicyIR): string {
  return p.ref.namespace ? `${p.ref.namespace}/${p.ref.name}` : `${p.ref.kind}/${p.ref.name}`;
}

export function evaluateRule(
  r: RuleIR,
  dir: Direction,
  peer: Endpoint,
  flow: Flow,
  dst: Endpoint,
  opts: MatchOptions,
): RuleEvaluation {
  const peers = r.peers === null ? [] : r.peers.map((p, i) => checkPeer(p, i, peer, opts));
  const ports = r.ports === null ? [] : checkPorts(r.ports, flow, dst);
  const peerMatched = r.peers === null || peers.some((p) => p.matched);
  // no ports: any port — but a named query port the destination does not expose matches nothing
  const portMatched = r.ports === null ? flow.port !== null : ports.some((p) => p.matched);
  return {
    direction: dir,
    index: r.index,
    ...(r.name ? { name: r.name } : {}),
    action: r.action,
    anyPeer: r.peers === null,
    anyPort: r.ports === null,
    peerMatched,
    portMatched,
    matched: peerMatched && portMatched,
    peers,
    ports,
  };
}

export function subjectChecks(p: PolicyIR, ep: Endpoint): SelectorCheck[] {
  const checks: SelectorCheck[] = [];
  if (p.subject.namespaces) checks.push(checkNamespace(p.subject.namespaces, ep, policyLabel(p)));
  if (p.subject.pods) checks.push(checkSelector(p.subject.pods, ep.labels, 'pod', ep.key));
  return checks;
}

export function evaluatePolicy(
  p: PolicyIR,
  dir: Direction,
  subject: Endpoint,
  peer: Endpoint,
  flow: Flow,
  dst: Endpoint,
  opts: MatchOptions,
): PolicyEvaluation {
  const d = p[dir];
  const subject_ = subjectChecks(p, subject);
  return {
    policy: p.ref,
    tier: p.tier,
    ...(p.priority !== undefined ? { priority: p.priority } : {}),
    selectsSubject: subject_.every((c) => c.matched),
    subject: subject_,
    appliesToDirection: !!d,
    rules: d ? d.rules.map((r) => evaluateRule(r, dir, peer, flow, dst, opts)) : [],
  };
}

interface Decided {
  decision: 'allow' | 'deny';
  tier: Tier;
  decidedBy: RuleRef[];
  reason: string;
  ambiguity?: DirectionTrace['ambiguity'];
  notes: string[];
}

function endpointName(ep: Endpoint): string {
  return ep.kind === 'pod' ? ep.key : ep.node ? `${ep.ipText} (node ${ep.node})` : (ep.ipText ?? ep.key);
}

export function flowText(flow: Flow): string {
  return flow.port === null
    ? `${flow.portName}/${flow.protocol}`
    : `${flow.portName ? `${flow.portName} (${flow.port})` : flow.port}/${flow.protocol}`;
}

/**
 * Evaluates one direction. `subject` is the pod whose policies apply (source for egress, destination for
 * ingress); `peer` is the other side; `dst` is the flow's destination (named ports resolve there).
 */
export function evaluateDirection(
  ctx: DirectionContext,
  dir: Direction,
  subject: Endpoint,
  peer: Endpoint,
  flow: Flow,
): DirectionTrace {
  const dst = dir === 'ingress' ? subject : peer;
  const { compiled, opts } = ctx;
  const verb = dir === 'ingress' ? 'Ingress to' : 'Egress from';
  const base = { direction: dir, isolated: false, isolatedBy: [], policies: [] as PolicyEvaluation[] };

  if (!subject.selectable) {
    const why =
      subject.kind === 'pod'
        ? `${subject.key} uses the host network; network policies do not select host-network pods, so its ${dir} is not restricted`
        : `${endpointName(subject)} is outside the pod network; no policy of this cluster governs its ${dir}`;
    return {
      ...base,
      applicable: false,
      decision: 'allow',
      tier: 'default',
      decidedBy: [],
      reason: `${verb} ${endpointName(subject)} is allowed: ${why}.`,
      notes: [],
    };
  }

  // gather the policies selecting the subject
  // hairpin: a pod's traffic to its own pod IP is not subject to ClusterNetworkPolicy (v1alpha2)
  const selfPair = subject.kind === 'pod' && subject.key === peer.key;
  const inScope = (p: PolicyIR) => !(selfPair && p.family === 'ClusterNetworkPolicy');
  const admin = compiled.admin.filter((p) => p[dir] && inScope(p) && subjectSelects(p.subject, subject));
  const nps = (compiled.npByNamespace.get(subject.namespace!) ?? []).filter((p) =>
    subjectSelects(p.subject, subject),
  );
  const isolating = nps.filter((p) => p[dir]);
  const baseline = compiled.baseline.filter(
    (p) => p[dir] && inScope(p) && subjectSelects(p.subject, subject),
  );
  const evals = new Map<PolicyIR, PolicyEvaluation>();
  for (const p of [...admin, ...isolating, ...baseline])
    evals.set(p, evaluatePolicy(p, dir, subject, peer, flow, dst, opts));
  const notes: string[] = [];
  if (
    selfPair &&
    [...compiled.admin, ...compiled.baseline].some(
      (p) => p.family === 'ClusterNetworkPolicy' && p[dir] && subjectSelects(p.subject, subject),
    )
  ) {
    notes.push(
      'hairpin: ClusterNetworkPolicies do not apply to a pod connecting to its own pod IP, so they were skipped for this self pair.',
    );
  }
  for (const p of nps) {
    if (!p[dir] && p.ignoredRules[dir]) {
      notes.push(
        `${policyLabel(p)} has ${p.ignoredRules[dir]} ${dir} rule(s) that are ignored because its policyTypes omit ${dir === 'ingress' ? 'Ingress' : 'Egress'}.`,
      );
    }
  }
  const isolatedBy = isolating.map((p) => p.ref);
  const policies = [...evals.values()];
  const result = (d: Decided): DirectionTrace => ({
    direction: dir,
    applicable: true,
    isolated: isolating.length > 0,
    isolatedBy,
    decision: d.decision,
    tier: d.tier,
    decidedBy: d.decidedBy,
    reason: d.reason,
    policies,
    ...(d.ambiguity ? { ambiguity: d.ambiguity } : {}),
    notes: [...notes, ...d.notes],
  });

  // own node: traffic between a pod and its own node is always allowed
  if (peer.isNodeAddress && peer.node !== undefined && peer.node === subject.node) {
    return result({
      decision: 'allow',
      tier: 'default',
      decidedBy: [],
      reason: `${verb} ${subject.key} is allowed: ${endpointName(peer)} is the pod's own node, and traffic between a pod and its own node is always allowed.`,
      notes: ['exemption: local node (kubelet probes and node traffic are never blocked by network policy)'],
    });
  }

  const withPeer = dir === 'ingress' ? `from ${endpointName(peer)}` : `to ${endpointName(peer)}`;
  const on = `on ${flowText(flow)}`;

  // 1. admin tier: first matching rule by (priority, name, rule index)
  let passed: RuleRef | undefined;
  for (const p of admin) {
    const ev = evals.get(p)!;
    const ri = ev.rules.findIndex((r) => r.matched);
    if (ri === -1) continue;
    const rule = p[dir]!.rules[ri];
    const ref = ruleRef(p, dir, rule);
    const ambiguity = findAmbiguity(admin, p, dir, evals, ref);
    const amb = ambiguity
      ? ` (ambiguous: ${ambiguity.candidates
          .filter((c) => c !== ref)
          .map((c) => `${c.policy.name} ${c.direction}[${c.index}] ${c.action}`)
          .join(', ')} has the same priority ${p.priority}; the engine chose by name)`
      : '';
    const label = `${p.ref.kind} ${p.ref.name} ${dir}[${rule.index}]${rule.name ? ` "${rule.name}"` : ''}`;
    if (rule.action === 'Allow') {
      return result({
        decision: 'allow',
        tier: 'admin',
        decidedBy: [ref],
        reason: `${verb} ${subject.key} ${withPeer} ${on} is allowed by ${label} (Allow; NetworkPolicies cannot override it)${amb}.`,
        ambiguity,
        notes: [],
      });
    }
    if (rule.action === 'Deny') {
      const fc = rule.failClosed ? ` (the rule fails closed: ${rule.failClosed})` : '';
      return result({
        decision: 'deny',
        tier: 'admin',
        decidedBy: [ref],
        reason: `${verb} ${subject.key} ${withPeer} ${on} is denied by ${label} (Deny)${fc}${amb}.`,
        ambiguity,
        notes: [],
      });
    }
    passed = ref;
    if (ambiguity)
      notes.push(
        `ambiguous admin decision at priority ${p.priority}: ${ambiguity.candidates.map((c) => `${c.policy.name} ${c.action}`).join(' vs ')}; chose ${p.ref.name} by name`,
      );
    break;
  }
  const passNote = passed
    ? ` ${passed.policy.kind} ${passed.policy.name} ${dir}[${passed.index}] passed the decision on (Pass).`
    : '';
  const passDecided = passed ? [passed] : [];

  // 2. NetworkPolicy tier
  if (isolating.length > 0) {
    const matched: RuleRef[] = [];
    for (const p of isolating) {
      const ev = evals.get(p)!;
      ev.rules.forEach((r, i) => {
        if (r.matched) matched.push(ruleRef(p, dir, p[dir]!.rules[i]));
      });
    }
    const names = isolating.map(policyLabel);
    if (matched.length > 0) {
      const by = [
        ...new Set(matched.map((m) => `${m.policy.namespace}/${m.policy.name} ${dir}[${m.index}]`)),
      ];
      return result({
        decision: 'allow',
        tier: 'networkpolicy',
        decidedBy: [...passDecided, ...matched],
        reason: `${verb} ${subject.key} ${withPeer} ${on} is allowed by ${by.join(', ')}.${passNote}`,
        ambiguity: undefined,
        notes: [],
      });
    }
    const verbNoun = dir === 'ingress' ? `admits ${endpointName(peer)}` : `allows ${endpointName(peer)}`;
    return result({
      decision: 'deny',
      tier: 'networkpolicy',
      decidedBy: passDecided,
      reason: `${verb} ${subject.key} is denied: it is isolated by ${names.join(', ')}, and no rule ${verbNoun} ${on}.${passNote}`,
      notes: [],
    });
  }

  // 3. baseline tier
  for (const p of baseline) {
    const ev = evals.get(p)!;
    const ri = ev.rules.findIndex((r) => r.matched);
    if (ri === -1) continue;
    const rule = p[dir]!.rules[ri];
    const ref = ruleRef(p, dir, rule);
    const label = `${p.ref.kind} ${p.ref.name} ${dir}[${rule.index}]${rule.name ? ` "${rule.name}"` : ''}`;
    if (rule.action === 'Pass') {
      return result({
        decision: 'allow',
        tier: 'default',
        decidedBy: [...passDecided, ref],
        reason: `${verb} ${subject.key} ${withPeer} ${on} is allowed: ${label} passes it on (Pass) and nothing else applies (Kubernetes default allow).${passNote}`,
        notes: [],
      });
    }
    return result({
      decision: rule.action === 'Allow' ? 'allow' : 'deny',
      tier: 'baseline',
      decidedBy: [...passDecided, ref],
      reason: `${verb} ${subject.key} ${withPeer} ${on} is ${rule.action === 'Allow' ? 'allowed' : 'denied'} by ${label} (${rule.action}; no NetworkPolicy isolates the pod for ${dir}).${passNote}`,
      notes: [],
    });
  }

  // 4. default allow
  const why =
    policies.length === 0
      ? `no policy selects it for ${dir}`
      : `no rule of the policies selecting it matches, and no NetworkPolicy isolates it for ${dir}`;
  return result({
    decision: 'allow',
    tier: 'default',
    decidedBy: passDecided,
    reason: `${verb} ${subject.key} is allowed: ${why}.${passNote}`,
    notes: [],
  });
}

/** Same-priority admin policies whose first matching rule has a different action. */
function findAmbiguity(
  admin: PolicyIR[],
  chosen: PolicyIR,
  dir: Direction,
  evals: Map<PolicyIR, PolicyEvaluation>,
  chosenRef: RuleRef,
): DirectionTrace['ambiguity'] | undefined {
  const candidates: RuleRef[] = [chosenRef];
  for (const p of admin) {
    if (p === chosen || p.priority !== chosen.priority) continue;
    const ri = evals.get(p)!.rules.findIndex((r) => r.matched);
    if (ri === -1) continue;
    const ref = ruleRef(p, dir, p[dir]!.rules[ri]);
    if (ref.action !== chosenRef.action) candidates.push(ref);
  }
  return candidates.length > 1
    ? { priority: chosen.priority ?? 0, candidates, chosen: chosenRef }
    : undefined;
}
