/**
 * The policy engine: `createEngine(snapshot)` compiles every policy once, indexes the cluster, and then
 * answers traces (one flow, fully explained) and matrices (all pod pairs, on equivalence classes).
 */
import type { Protocol } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';
import { ClusterIndex, type Endpoint } from './cluster';
import { compileSnapshot, type CompiledPolicies } from './compile';
import { evaluateDirection, flowText } from './evaluate';
import { refText, ruleMismatchSentences } from './explain';
import { allowFlowPolicy } from './fixes';
import type { Flow, MatchOptions } from './match';
import { computeMatrix } from './matrix';
import { directionNearMisses, type NearMissContext } from './nearmiss';
import {
  EndpointError,
  type DirectionTrace,
  type Engine,
  type EngineOptions,
  type Fix,
  type MatrixQuery,
  type MatrixResult,
  type NearMiss,
  type PolicyRef,
  type TraceQuery,
  type TraceResult,
} from './types';

export { EndpointError } from './types';
export type * from './types';
export { renderTraceText } from './explain';
export { matchesSelector, formatSelector, isEmptySelector } from './selector';

const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function parseProtocol(p: string | undefined): Protocol {
  if (p === undefined || p === '') return 'TCP';
  const up = p.toUpperCase();
  if (!(PROTOCOLS as string[]).includes(up))
    throw new EndpointError(`Unknown protocol "${p}": use TCP, UDP or SCTP.`, p);
  return up as Protocol;
}

/** `8080`, `http`, `53/UDP`, `dns/udp` → port and protocol. A protocol in the text wins over `protocol`. */
export function parsePortSpec(
  port: number | string,
  protocol?: string,
): { port: number | string; protocol: Protocol } {
  let p: number | string = port;
  let proto = protocol;
  if (typeof p === 'string') {
    const t = p.trim();
    const slash = t.indexOf('/');
    if (slash !== -1) {
      proto = t.slice(slash + 1);
      p = t.slice(0, slash);
    } else p = t;
    if (/^\d+$/.test(p)) p = Number(p);
  }
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 1 || p > 65535)
      throw new EndpointError(`Port ${p} is out of range (1-65535).`, String(port));
  } else if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p) || !/[a-z]/.test(p)) {
    throw new EndpointError(
      `"${p}" is neither a port number nor a port name (IANA_SVC_NAME, e.g. http).`,
      String(port),
    );
  }
  return { port: p, protocol: parseProtocol(proto) };
}

export function ipBlockBehaviour(
  snapshot: Snapshot,
  options: EngineOptions,
): { matches: boolean; why: string } {
  if (options.ipBlockMatchesPodIPs !== undefined) {
    return { matches: options.ipBlockMatchesPodIPs, why: 'set by the engine options' };
  }
  const cni = snapshot.cni;
  if (cni && typeof cni.ipBlockMatchesPodIPs === 'boolean') {
    return {
      matches: cni.ipBlockMatchesPodIPs,
      why: cni.name === 'unknown' ? 'no CNI detected' : `CNI ${cni.name}`,
    };
  }
  if (cni?.name === 'cilium') return { matches: false, why: 'CNI cilium' };
  if (!cni && looksLikeCilium(snapshot))
    return { matches: false, why: 'CNI cilium (its agent DaemonSet or pods are in the snapshot)' };
  return { matches: true, why: cni && cni.name !== 'unknown' ? `CNI ${cni.name}` : 'no CNI detected' };
}

/** Fallback when the snapshot carries no CniFacts: the Cilium agent is in the snapshot. */
function looksLikeCilium(snapshot: Snapshot): boolean {
  if ((snapshot.daemonSets ?? []).some((d) => d.metadata.name === 'cilium')) return true;
  return (snapshot.pods ?? []).some(
    (p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec?.hostNetwork === true,
  );
}

class PolicyEngine implements Engine {
  readonly index: ClusterIndex;
  readonly compiled: CompiledPolicies;
  readonly ipBlockMatchesPodIPs: boolean;
  private readonly opts: MatchOptions;
  private readonly ipBlockAssumption: string;
  private readonly nearMissCtx: NearMissContext;

  constructor(
    readonly snapshot: Snapshot,
    readonly options: EngineOptions = {},
  ) {
    this.index = new ClusterIndex(snapshot);
    this.compiled = compileSnapshot(snapshot);
    const ib = ipBlockBehaviour(snapshot, options);
    this.ipBlockMatchesPodIPs = ib.matches;
    this.opts = { ipBlockMatchesPodIPs: ib.matches };
    this.ipBlockAssumption = ib.matches
      ? `ipBlock rules are assumed to match pod IPs (${ib.why}; upstream and Calico behaviour).`
      : `ipBlock rules are assumed NOT to match pod or node IPs (${ib.why}: CIDR rules only select addresses outside the cluster).`;
    this.nearMissCtx = {
      compiled: this.compiled,
      index: this.index,
      opts: this.opts,
      maxDistance: options.nearMissDistance ?? 2,
      peerPodCount: new Map(),
      subjectPodCount: new Map(),
    };
  }

  resolveEndpoint(spec: string) {
    return this.index.toInfo(this.index.resolve(spec));
  }

  trace(q: TraceQuery): TraceResult {
    const src = this.index.resolve(q.from);
    const dst = this.index.resolve(q.to);
    const spec = parsePortSpec(q.port, q.protocol);
    const flow = resolveFlow(spec.port, spec.protocol, dst);
    return this.traceEndpoints(q, src, dst, flow);
  }

  traceEndpoints(q: TraceQuery, src: Endpoint, dst: Endpoint, flow: Flow): TraceResult {
    const ctx = { compiled: this.compiled, opts: this.opts };
    const egress = evaluateDirection(ctx, 'egress', src, dst, flow);
    const ingress = evaluateDirection(ctx, 'ingress', dst, src, flow);
    const nearMisses: NearMiss[] = [];
    for (const [d, subject, peer] of [
      [egress, src, dst],
      [ingress, dst, src],
    ] as const) {
      const nm = directionNearMisses(this.nearMissCtx, d, subject, peer, flow);
      nearMisses.push(...nm.nearMisses);
      d.policies.push(...nm.extraPolicies);
    }
    const portMissing = flow.port === null;
    const allowed = !portMissing && egress.decision === 'allow' && ingress.decision === 'allow';
    const srcName = displayName(src);
    const dstName = displayName(dst);
    const ft = flowText(flow);

    // policies that decided
    const decided = new Map<string, PolicyRef>();
    const add = (p: PolicyRef) => decided.set(`${p.kind}/${p.namespace ?? ''}/${p.name}`, p);
    const denying = [egress, ingress].filter((d) => d.decision === 'deny');
    if (allowed) {
      for (const d of [egress, ingress]) for (const r of d.decidedBy) add(r.policy);
    } else {
      for (const d of denying) {
        if (d.tier === 'networkpolicy') d.isolatedBy.forEach(add);
        for (const r of d.decidedBy) add(r.policy);
      }
    }

    // sentences
    const explanation: string[] = [];
    if (portMissing) {
      explanation.push(
        `Traffic from ${srcName} to ${dstName} on ${ft} is denied: ${dstName} exposes no ${flow.protocol} port named ${flow.portName}, so the name cannot be resolved.`,
      );
    } else {
      explanation.push(
        `Traffic from ${srcName} to ${dstName} on ${ft} is ${allowed ? 'allowed' : 'denied'}.`,
      );
    }
    const ordered = denying.length
      ? [...denying, ...[egress, ingress].filter((d) => d.decision === 'allow')]
      : [egress, ingress];
    for (const d of ordered) {
      explanation.push(d.reason);
      if (d.decision === 'deny' && d.tier === 'networkpolicy') {
        explanation.push(...ruleMismatchSentences(d, ft, d.direction === 'ingress' ? srcName : dstName));
      }
    }
    if (egress.decision === 'deny' && flow.port === 53 && isDnsServer(dst)) {
      explanation.push(
        `DNS is blocked: ${srcName} cannot reach ${dstName} on port 53, so every name lookup from it fails (add an egress rule for 53/UDP and 53/TCP to the DNS pods).`,
      );
    }
    for (const n of nearMisses) explanation.push(n.message);
    for (const d of [egress, ingress]) if (d.ambiguity) explanation.push(ambiguitySentence(d));

    // assumptions
    const assumptions = [this.ipBlockAssumption];
    if (src.kind === 'pod' && src.key === dst.key) {
      assumptions.push(
        'Self traffic (a pod to its own IP) is evaluated by the policies like any other pair; the CNI may exempt this hairpin traffic (Cilium does), and loopback traffic is never blocked.',
      );
    }
    for (const ep of [src, dst]) {
      if (ep.hostNetwork)
        assumptions.push(
          `${ep.key} uses the host network: its traffic is treated as traffic of node ${ep.node ?? '?'} (${ep.ipText ?? 'no IP'}).`,
        );
      if (ep.kind === 'pod' && !ep.ipText)
        assumptions.push(`${ep.key} has no pod IP yet; ipBlock rules cannot match it.`);
      if (ep.kind === 'pod' && ep.namespace && this.index.synthesizedNamespaceLabel.has(ep.namespace)) {
        assumptions.push(
          `Namespace ${ep.namespace} is assumed to carry kubernetes.io/metadata.name=${ep.namespace} (the API server sets it on every namespace).`,
        );
      }
    }
    if (flow.portName && flow.port !== null)
      assumptions.push(
        `Named port ${flow.portName} resolves to ${flow.port}/${flow.protocol} on ${dstName}.`,
      );
    const cni = this.snapshot.cni;
    if (cni && cni.enforcesNetworkPolicy === false) {
      assumptions.push(
        `CNI ${cni.name} does not enforce NetworkPolicy as installed: in the real cluster this traffic is not filtered at all.`,
      );
    }
    if (this.snapshot.partial)
      assumptions.push(
        'The snapshot is partial (some objects could not be listed): policies may be missing from this evaluation.',
      );
    const nsUnique = [...new Set([src, dst].map((e) => e.namespace).filter((n): n is string => !!n))];
    for (const ns of nsUnique) {
      if (!this.index.knownNamespaces.has(ns) && this.index.podsByNamespace.has(ns)) {
        assumptions.push(
          `Namespace ${ns} is not in the snapshot: its labels are unknown (only kubernetes.io/metadata.name is assumed).`,
        );
      }
    }

    const suggestedFixes: Fix[] = [];
    if (!allowed && !portMissing) {
      for (const d of denying) {
        if (d.tier !== 'networkpolicy') continue;
        const subject = d.direction === 'egress' ? src : dst;
        const peer = d.direction === 'egress' ? dst : src;
        suggestedFixes.push(
          allowFlowPolicy(
            d.direction,
            subject,
            peer,
            flow.protocol,
            flow.port!,
            flow.portName,
            this.ipBlockMatchesPodIPs,
          ),
        );
      }
    }

    return {
      query: {
        from: q.from,
        to: q.to,
        port: flow.port ?? 0,
        ...(flow.portName ? { portName: flow.portName } : {}),
        protocol: flow.protocol,
      },
      source: this.index.toInfo(src),
      destination: this.index.toInfo(dst),
      verdict: allowed ? 'allowed' : 'denied',
      egress,
      ingress,
      decidedBy: [...decided.values()],
      explanation,
      assumptions,
      nearMisses,
      ...(suggestedFixes.length ? { suggestedFixes } : {}),
      partial: !!this.snapshot.partial,
    };
  }

  matrix(q: MatrixQuery): MatrixResult {
    const spec = parsePortSpec(q.port, q.protocol);
    return computeMatrix(this.index, this.compiled, this.opts, spec.port, spec.protocol);
  }
}

function ambiguitySentence(d: DirectionTrace): string {
  const a = d.ambiguity!;
  return `The ${d.direction} decision is ambiguous: ${a.candidates.map((c) => `${refText(c.policy)} ${c.direction}[${c.index}] (${c.action})`).join(' and ')} share priority ${a.priority}; the API lets an implementation pick either. The engine chose ${refText(a.chosen.policy)} (priority, then name).`;
}

function isDnsServer(ep: Endpoint): boolean {
  const app = ep.labels['k8s-app'] ?? ep.labels['app.kubernetes.io/name'] ?? '';
  return ep.kind === 'pod' && ['kube-dns', 'coredns', 'node-local-dns'].includes(app);
}

function displayName(ep: Endpoint): string {
  if (ep.kind === 'pod') return ep.key;
  return ep.node ? `${ep.ipText} (node ${ep.node})` : (ep.ipText ?? ep.key);
}

/** The concrete destination port: a number, or a named port resolved on the destination pod. */
export function resolveFlow(port: number | string, protocol: Protocol, dst: Endpoint): Flow {
  if (typeof port === 'number') return { protocol, port };
  const np = dst.namedPorts.find((p) => p.name === port && p.protocol === protocol);
  return { protocol, port: np ? np.port : null, portName: port };
}

export function createEngine(snapshot: Snapshot, options?: EngineOptions): Engine {
  return new PolicyEngine(snapshot, options);
}
