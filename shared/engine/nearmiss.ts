/**
 * Near misses: the things a human would point out when a flow is denied (or allowed by accident),
 * each with a concrete fix.
 */
import type { LabelSelector } from '../k8s/types';
import type { ClusterIndex, Endpoint } from './cluster';
import { NS_NAME_LABEL } from './cluster';
import { compileNetworkPolicy, PeerTable, policyKey, type CompiledPolicies } from './compile';
import { evaluatePolicy, evaluateRule, policyLabel } from './evaluate';
import { policyPatch } from './fixes';
import { cleanNetworkPolicy } from './sanitize';
import { checkSelector, subjectSelects, type Flow, type MatchOptions } from './match';
import type { PeerIR, PolicyIR, RuleIR } from './model';
import { formatSelector, matchesSelector } from './selector';
import { editDistance } from './text';
import type { Direction, DirectionTrace, Mismatch, NearMiss, PolicyEvaluation } from './types';

export interface NearMissContext {
  compiled: CompiledPolicies;
  index: ClusterIndex;
  opts: MatchOptions;
  maxDistance: number;
  /** peer id → number of pods the peer selects (lazily filled) */
  peerPodCount: Map<number, number>;
  /** policy id → number of pods the policy's subject selects (lazily filled) */
  subjectPodCount: Map<number, number>;
  /** lazily built index of NetworkPolicies by the first matchLabels entry of their podSelector */
  npByFirstLabel?: { idx: Map<string, PolicyIR[]>; rest: PolicyIR[] };
}

type Obj = Record<string, unknown>;

/** at most this many misplaced-policy hints per direction */
const MAX_OTHER_NAMESPACE = 3;
/** at most this many near misses per direction (the closest ones come first) */
const MAX_NEAR_MISSES = 8;

function at(obj: Obj, path: (string | number)[]): Obj | undefined {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur && typeof cur === 'object' ? (cur as Obj) : undefined;
}

/** Path of the source peer of IR peer `pi` in rule `r`, for NetworkPolicy and ANP/CNP objects. */
function peerPath(p: PolicyIR, dir: Direction, r: RuleIR, pi: number): (string | number)[] {
  const origin = r.peerOrigin?.[pi] ?? pi;
  return ['spec', dir, r.index, dir === 'ingress' ? 'from' : 'to', origin];
}

/** The selector object inside a source peer that an IR peer check refers to. */
function selectorPath(p: PolicyIR, peer: PeerIR, target: 'pod' | 'namespace'): string[] {
  if (p.family === 'NetworkPolicy') return [target === 'pod' ? 'podSelector' : 'namespaceSelector'];
  if (peer.kind === 'pods' && peer.form === 'anp-namespaces') return ['namespaces'];
  return ['pods', target === 'pod' ? 'podSelector' : 'namespaceSelector'];
}

/**
 * NetworkPolicies whose podSelector could match `ep`'s labels: indexed by their first matchLabels entry,
 * plus those without matchLabels (always candidates). Built on first use.
 */
function candidatePoliciesFor(ctx: NearMissContext, ep: Endpoint): PolicyIR[] {
  if (!ctx.npByFirstLabel) {
    const idx = new Map<string, PolicyIR[]>();
    const rest: PolicyIR[] = [];
    for (const list of ctx.compiled.npByNamespace.values())
      for (const p of list) {
        const first = p.subject.pods?.matchLabels ? Object.entries(p.subject.pods.matchLabels)[0] : undefined;
        if (!first) {
          rest.push(p);
          continue;
        }
        const key = `${first[0]}\u0000${first[1]}`;
        const l = idx.get(key);
        if (l) l.push(p);
        else idx.set(key, [p]);
      }
    ctx.npByFirstLabel = { idx, rest };
  }
  const out = [...ctx.npByFirstLabel.rest];
  for (const [k, v] of Object.entries(ep.labels)) {
    const l = ctx.npByFirstLabel.idx.get(`${k}\u0000${v}`);
    if (l) out.push(...l);
  }
  return out;
}

/** 1 when the peer selects at least one pod-network pod, else 0 (cached per peer). */
export function podsSelectedBy(ctx: NearMissContext, peer: Extract<PeerIR, { kind: 'pods' }>): number {
  const cached = ctx.peerPodCount.get(peer.id);
  if (cached !== undefined) return cached;
  const n = ctx.index.anyPodMatches(peer.namespaces, peer.pods) ? 1 : 0;
  ctx.peerPodCount.set(peer.id, n);
  return n;
}

function closeValue(m: Mismatch, max: number): boolean {
  return (
    (m.code === 'label-value-differs' || m.code === 'namespace-label-differs') &&
    typeof m.expected === 'string' &&
    m.actual !== undefined &&
    looksLikeTypo(m.expected, m.actual, max)
  );
}

/**
 * Within `max` edits, and not a deliberate variant: values that differ only in digits (app1/app2, v1/v2)
 * or that are very short are different names, not typos.
 */
export function looksLikeTypo(a: string, b: string, max: number): boolean {
  if (a === b || Math.min(a.length, b.length) < 4) return false;
  if (a.replace(/\d+/g, '') === b.replace(/\d+/g, '')) return false;
  return editDistance(a, b, max) <= max;
}

/** A key one edit away carrying the expected value (e.g. `ap: web` vs `app: web`). */
function closeKey(m: Mismatch, labels: Record<string, string>, max: number): string | undefined {
  if (
    (m.code !== 'label-missing' && m.code !== 'namespace-label-missing') ||
    !m.key ||
    typeof m.expected !== 'string'
  )
    return undefined;
  for (const [k, v] of Object.entries(labels)) {
    if (v === m.expected && looksLikeTypo(k, m.key, max)) return k;
  }
  return undefined;
}

function setMatchLabel(sel: Obj | undefined, key: string, value: string, newKey = key): void {
  if (!sel) return;
  const ml = { ...((sel.matchLabels as Record<string, string>) ?? {}) };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ml)) {
    if (k === key) out[newKey] = value;
    else out[k] = v;
  }
  if (!(newKey in out)) out[newKey] = value;
  sel.matchLabels = out;
}

function dirTitle(dir: Direction): string {
  return dir === 'ingress' ? 'Ingress' : 'Egress';
}

/** Near misses for one direction of a trace. */
export function directionNearMisses(
  ctx: NearMissContext,
  trace: DirectionTrace,
  subject: Endpoint,
  peer: Endpoint,
  flow: Flow,
): { nearMisses: NearMiss[]; extraPolicies: PolicyEvaluation[] } {
  const dir = trace.direction;
  const out: NearMiss[] = [];
  const extraPolicies: PolicyEvaluation[] = [];
  if (!trace.applicable) return { nearMisses: out, extraPolicies };
  const max = ctx.maxDistance;
  const irOf = (ev: PolicyEvaluation): PolicyIR => ctx.compiled.byRef.get(policyKey(ev.policy))!;
  const seen = new Set<string>();
  const push = (n: NearMiss, key: string) => {
    if (seen.has(key) || out.length >= MAX_NEAR_MISSES) return;
    seen.add(key);
    out.push(n);
  };

  if (trace.decision === 'deny') {
    // 1. rules of selecting policies whose peer almost matched
    for (const ev of trace.policies) {
      const p = irOf(ev);
      const rules = p[dir]?.rules ?? [];
      ev.rules.forEach((re, ri) => {
        const r = rules[ri];
        if (!r || re.matched) return;
        if (r.action !== 'Allow') return;
        if (re.portMatched) {
          re.peers.forEach((pe, pi) => {
            if (pe.matched) return;
            const irPeer = r.peers![pi];
            // a near miss only when fixing the near things would make the peer match
            const peerLabels = (m: Mismatch) =>
              m.target === 'namespace' ? peer.namespaceLabels : peer.labels;
            const fixable = pe.mismatches.every(
              (m) =>
                (m.code === 'namespace-label-missing' &&
                  m.key === 'name' &&
                  peer.namespaceLabels[NS_NAME_LABEL] === m.expected) ||
                closeValue(m, max) ||
                closeKey(m, peerLabels(m), max) !== undefined,
            );
            const reportIfSelectsNoPod = () => {
              if (
                irPeer.kind === 'pods' &&
                irPeer.pods &&
                Object.keys(irPeer.pods).length > 0 &&
                podsSelectedBy(ctx, irPeer) === 0
              )
                push(
                  {
                    code: 'selector-matches-no-pod',
                    policy: p.ref,
                    direction: dir,
                    message: `${policyLabel(p)}'s ${dir} rule ${re.index + 1}, peer ${pi + 1} (${pe.description}) selects no pod in the cluster.`,
                  },
                  `nopod/${policyLabel(p)}/${ri}/${pi}`,
                );
            };
            if (!fixable) {
              reportIfSelectsNoPod();
              return;
            }
            for (const m of pe.mismatches) {
              const target = m.target === 'namespace' ? 'namespace' : 'pod';
              // a namespaceSelector on `name` where the namespace only has kubernetes.io/metadata.name
              if (
                m.code === 'namespace-label-missing' &&
                m.key === 'name' &&
                typeof m.expected === 'string' &&
                peer.namespaceLabels[NS_NAME_LABEL] === m.expected
              ) {
                const nsName = m.expected;
                const fix = policyPatch(
                  p,
                  `Label namespace ${nsName} with name=${nsName}, or (better) select it by the immutable label ${NS_NAME_LABEL}.`,
                  (obj) => {
                    const sel = at(obj, [
                      ...peerPath(p, dir, r, pi),
                      ...selectorPath(p, irPeer, 'namespace'),
                    ]);
                    setMatchLabel(sel, 'name', nsName, NS_NAME_LABEL);
                  },
                  `kubectl label namespace ${nsName} name=${nsName}`,
                );
                push(
                  {
                    code: 'namespace-name-label',
                    policy: p.ref,
                    direction: dir,
                    message: `${policyLabel(p)} selects namespaces by \`name: ${nsName}\`, but namespace ${nsName} has no label \`name\`; it only has ${NS_NAME_LABEL}=${nsName}, which Kubernetes sets on every namespace.`,
                    fix,
                  },
                  `nsname/${policyLabel(p)}/${ri}/${pi}`,
                );
                continue;
              }
              if (closeValue(m, max)) {
                const fix = policyPatch(
                  p,
                  `Change ${m.key}: ${m.expected} to ${m.key}: ${m.actual} in ${policyLabel(p)}'s ${dir} rule ${re.index + 1}, peer ${pi + 1}.`,
                  (obj) => {
                    const sel = at(obj, [...peerPath(p, dir, r, pi), ...selectorPath(p, irPeer, target)]);
                    setMatchLabel(sel, m.key!, m.actual!);
                  },
                );
                push(
                  {
                    code: 'label-one-edit-away',
                    policy: p.ref,
                    direction: dir,
                    message: `${policyLabel(p)}'s ${dir} rule ${re.index + 1}, peer ${pi + 1} wants ${target} label ${m.key}=${m.expected}; ${m.targetName ?? target} has ${m.key}=${m.actual} — a likely typo.`,
                    fix,
                  },
                  `value/${policyLabel(p)}/${ri}/${pi}/${m.key}`,
                );
                continue;
              }
              const nk = closeKey(m, target === 'namespace' ? peer.namespaceLabels : peer.labels, max);
              if (nk) {
                const fix = policyPatch(
                  p,
                  `Change the label key ${m.key} to ${nk} in ${policyLabel(p)}'s ${dir} rule ${re.index + 1}, peer ${pi + 1}.`,
                  (obj) => {
                    const sel = at(obj, [...peerPath(p, dir, r, pi), ...selectorPath(p, irPeer, target)]);
                    setMatchLabel(sel, m.key!, String(m.expected), nk);
                  },
                );
                push(
                  {
                    code: 'label-one-edit-away',
                    policy: p.ref,
                    direction: dir,
                    message: `${policyLabel(p)}'s ${dir} rule ${re.index + 1}, peer ${pi + 1} wants label ${m.key}=${m.expected}; ${m.targetName ?? target} has ${nk}=${m.expected} — a likely typo in the key.`,
                    fix,
                  },
                  `key/${policyLabel(p)}/${ri}/${pi}/${m.key}`,
                );
              }
            }
            reportIfSelectsNoPod();
          });
        } else if (re.peerMatched) {
          for (const pt of re.ports) {
            if (pt.mismatch?.code === 'named-port-missing' && flow.port !== null) {
              const portIndex = pt.index;
              const fix =
                p.family === 'NetworkPolicy'
                  ? policyPatch(
                      p,
                      `Use the numeric port ${flow.port} (or name a container port ${pt.description.split('/')[0]} on the destination).`,
                      (obj) => {
                        const port = at(obj, ['spec', dir, r.index, 'ports', portIndex]);
                        if (port) port.port = flow.port;
                      },
                    )
                  : undefined;
              push(
                {
                  code: 'named-port-not-exposed',
                  policy: p.ref,
                  direction: dir,
                  message: `${policyLabel(p)}'s ${dir} rule ${re.index + 1} names port ${pt.description}, but ${pt.mismatch.message.replace(/^named port \S+ on /, '')}.`,
                  ...(fix ? { fix } : {}),
                },
                `namedport/${policyLabel(p)}/${ri}/${portIndex}`,
              );
            }
          }
        }
      });
    }

    // 2. NetworkPolicies in the subject's namespace that almost select it (typo in podSelector)
    for (const p of ctx.compiled.npByNamespace.get(subject.namespace!) ?? []) {
      if (!p[dir] || subjectSelects(p.subject, subject) || !p.subject.pods) continue;
      const check = checkSelector(p.subject.pods, subject.labels, 'pod', subject.key);
      if (check.mismatches.length === 0) continue;
      const fixable = check.mismatches.every((m) => closeValue(m, max) || closeKey(m, subject.labels, max));
      if (!fixable) continue;
      const ev = evaluatePolicy(p, dir, subject, peer, flow, dir === 'ingress' ? subject : peer, ctx.opts);
      extraPolicies.push(ev);
      const selectsNone = countSubjectPods(ctx, p) === 0;
      const wouldAllow = ev.rules.some((r) => r.matched);
      const fix = policyPatch(
        p,
        `Fix the podSelector of ${policyLabel(p)} so it selects ${subject.key}.`,
        (obj) => {
          const sel = at(obj, ['spec', 'podSelector']);
          for (const m of check.mismatches) {
            const nk = closeKey(m, subject.labels, max);
            if (nk) setMatchLabel(sel, m.key!, String(m.expected), nk);
            else setMatchLabel(sel, m.key!, m.actual!);
          }
        },
      );
      const diffs = check.mismatches.map((m) =>
        m.actual !== undefined
          ? `${m.key}=${m.actual} (the selector says ${m.key}=${m.expected})`
          : `${closeKey(m, subject.labels, max)}=${String(m.expected)} (the selector says ${m.key}=${String(m.expected)})`,
      );
      push(
        {
          code: 'label-one-edit-away',
          policy: p.ref,
          direction: dir,
          message: `${policyLabel(p)} has podSelector ${formatSelector(p.subject.pods)}${selectsNone ? ', which selects no pod' : ''}; ${subject.key} has ${diffs.join(', ')}: one edit away, a likely typo.${wouldAllow ? ` With the selector fixed, it would allow this flow.` : ''}`,
          fix,
        },
        `subject/${policyLabel(p)}`,
      );
    }

    // 3. NetworkPolicies in another namespace whose podSelector names this pod's labels
    let otherNs = 0;
    {
      for (const p of candidatePoliciesFor(ctx, subject)) {
        const ns = p.ref.namespace;
        if (ns === subject.namespace) continue;
        if (!p[dir] || !p.subject.pods || Object.keys(p.subject.pods).length === 0) continue;
        if (!matchesSelector(p.subject.pods, subject.labels)) continue;
        if (countSubjectPods(ctx, p) > 0) continue;
        const moved = cleanNetworkPolicy(p.source);
        const clone = compileNetworkPolicy(
          { ...moved, metadata: { ...moved.metadata, namespace: subject.namespace } },
          -1,
          new PeerTable(),
        );
        const wouldAllow = (clone[dir]?.rules ?? []).some(
          (r) => evaluateRule(r, dir, peer, flow, dir === 'ingress' ? subject : peer, ctx.opts).matched,
        );
        // only the misplaced policies that would have admitted this flow are worth pointing out
        if (!wouldAllow || otherNs >= MAX_OTHER_NAMESPACE) continue;
        otherNs++;
        const fix = policyPatch(
          p,
          `Create the policy in namespace ${subject.namespace} (a NetworkPolicy only selects pods in its own namespace).`,
          (obj) => {
            (obj.metadata as Obj).namespace = subject.namespace;
          },
        );
        push(
          {
            code: 'policy-in-other-namespace',
            policy: p.ref,
            direction: dir,
            message: `${policyLabel(p)} selects ${formatSelector(p.subject.pods)}, which matches ${subject.key}, but it lives in namespace ${ns} and a NetworkPolicy only selects pods in its own namespace. In namespace ${subject.namespace} it would allow this flow.`,
            fix,
          },
          `otherns/${policyLabel(p)}`,
        );
      }
    }

    // 4. rules switched off by policyTypes that would have allowed the flow
    for (const p of ctx.compiled.npByNamespace.get(subject.namespace!) ?? []) {
      if (p[dir] || !p.ignoredRules[dir] || !subjectSelects(p.subject, subject)) continue;
      const np = cleanNetworkPolicy(p.source);
      const types = [...(np.spec.policyTypes ?? []), dirTitle(dir)] as ('Ingress' | 'Egress')[];
      const clone = compileNetworkPolicy(
        { ...np, spec: { ...np.spec, policyTypes: types } },
        -1,
        new PeerTable(),
      );
      const would = (clone[dir]?.rules ?? []).some(
        (r) => evaluateRule(r, dir, peer, flow, dir === 'ingress' ? subject : peer, ctx.opts).matched,
      );
      if (!would) continue;
      const fix = policyPatch(p, `Add ${dirTitle(dir)} to the policyTypes of ${policyLabel(p)}.`, (obj) => {
        const spec = obj.spec as Obj;
        spec.policyTypes = types;
      });
      push(
        {
          code: 'policy-types-disables-rules',
          policy: p.ref,
          direction: dir,
          message: `${policyLabel(p)} has ${dir} rules that would allow this flow, but its policyTypes (${(np.spec.policyTypes ?? []).join(', ')}) omit ${dirTitle(dir)}, so they are ignored.`,
          fix,
        },
        `types/${policyLabel(p)}`,
      );
    }
  } else if (trace.tier === 'networkpolicy') {
    // allowed by a single-selector peer while the same rule also has a single-selector peer of the other kind:
    // the classic two-items-instead-of-one YAML trap (OR instead of AND)
    for (const ref of trace.decidedBy) {
      const ev = trace.policies.find(
        (e) => e.policy.name === ref.policy.name && e.policy.namespace === ref.policy.namespace,
      );
      if (!ev) continue;
      const p = irOf(ev);
      const r = p[dir]?.rules.find((x) => x.index === ref.index);
      const re = ev.rules.find((x) => x.index === ref.index);
      if (!r || !re || !r.peers) continue;
      const nsPeers = r.peers
        .map((x, i) => [x, i] as const)
        .filter(([x]) => x.kind === 'pods' && x.form === 'namespaceSelector');
      const podPeers = r.peers
        .map((x, i) => [x, i] as const)
        .filter(([x]) => x.kind === 'pods' && x.form === 'podSelector');
      for (const [nsPeer, ni] of nsPeers) {
        for (const [podPeer, pi] of podPeers) {
          const nsMatched = re.peers[ni].matched;
          const podMatched = re.peers[pi].matched;
          if (nsMatched === podMatched) continue;
          const nsSel = (nsPeer as Extract<PeerIR, { kind: 'pods' }>).namespaces as {
            kind: 'selector';
            selector: LabelSelector;
          };
          const podSel = (podPeer as Extract<PeerIR, { kind: 'pods' }>).pods!;
          const fix = policyPatch(
            p,
            `If you meant "pods ${formatSelector(podSel)} in namespaces ${formatSelector(nsSel.selector)}", put both selectors in ONE peer (AND).`,
            (obj) => {
              const list = at(obj, ['spec', dir, r.index]) as Obj;
              const key = dir === 'ingress' ? 'from' : 'to';
              const peers = (list[key] as Obj[]).slice();
              const merged = {
                namespaceSelector: peers[r.peerOrigin?.[ni] ?? ni].namespaceSelector,
                podSelector: peers[r.peerOrigin?.[pi] ?? pi].podSelector,
              };
              const keep = peers.filter(
                (_, i) => i !== (r.peerOrigin?.[ni] ?? ni) && i !== (r.peerOrigin?.[pi] ?? pi),
              );
              list[key] = [...keep.slice(0, Math.min(ni, pi)), merged, ...keep.slice(Math.min(ni, pi))];
            },
          );
          const matchedBy = nsMatched
            ? `peer ${ni + 1} (${re.peers[ni].description})`
            : `peer ${pi + 1} (${re.peers[pi].description})`;
          const other = nsMatched
            ? `peer ${pi + 1} (${re.peers[pi].description})`
            : `peer ${ni + 1} (${re.peers[ni].description})`;
          push(
            {
              code: 'separate-peers-or',
              policy: p.ref,
              direction: dir,
              message: `${policyLabel(p)} allows this flow through ${matchedBy} alone: ${other} is a separate list item, so the two are ORed, not ANDed — ${peer.key} matches ${nsMatched ? 'the namespace selector but not the pod selector' : 'the pod selector but not the namespace selector'}.`,
              fix,
            },
            `or/${policyLabel(p)}/${r.index}/${ni}/${pi}`,
          );
        }
      }
    }
  }
  return { nearMisses: out, extraPolicies };
}

/** 1 when the policy's subject selects at least one pod-network pod, else 0 (cached per policy). */
function countSubjectPods(ctx: NearMissContext, p: PolicyIR): number {
  const cached = ctx.subjectPodCount.get(p.id);
  if (cached !== undefined) return cached;
  const n = ctx.index.anyPodMatches(p.subject.namespaces, p.subject.pods) ? 1 : 0;
  ctx.subjectPodCount.set(p.id, n);
  return n;
}
