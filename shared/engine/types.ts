import type { ObjectRef, PolicyKind, Protocol } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';

/**
 * The engine's public result types. Consumers (CLI, wizard, report, UI, check, flow explain) rely on
 * these names; extend with new optional fields rather than renaming.
 */

export type Direction = 'egress' | 'ingress';
export type Verdict = 'allowed' | 'denied';
/** Where a decision was taken, in evaluation order. 'default' = no policy applied. */
export type Tier = 'admin' | 'networkpolicy' | 'baseline' | 'default';
/** Normalised action of one rule across families (CNP "Accept" → Allow). */
export type RuleAction = 'Allow' | 'Deny' | 'Pass';

export interface PolicyRef {
  kind: PolicyKind;
  namespace?: string;
  name: string;
}

export interface RuleRef {
  policy: PolicyRef;
  direction: Direction;
  /** index into spec.ingress / spec.egress */
  index: number;
  name?: string;
  action: RuleAction;
}

/** What a user typed (`ns/pod`, an IP) resolved against the snapshot. */
export type EndpointInfo =
  | {
      kind: 'pod';
      namespace: string;
      name: string;
      ip?: string;
      node?: string;
      hostNetwork: boolean;
      labels: Record<string, string>;
      namespaceLabels: Record<string, string>;
    }
  | { kind: 'external'; ip: string; /** set when the IP belongs to a node */ node?: string };

export interface TraceQuery {
  /** `ns/pod`, a pod IP, or an external address */
  from: string;
  to: string;
  /** number, or a named port resolved on the destination pod */
  port: number | string;
  protocol?: Protocol;
}

export type MismatchCode =
  | 'label-missing'
  | 'label-value-differs'
  | 'label-not-in-values'
  | 'label-in-excluded-values'
  | 'label-must-be-absent'
  | 'namespace-label-missing'
  | 'namespace-label-differs'
  | 'namespace-differs'
  | 'not-a-pod'
  | 'ip-outside-cidr'
  | 'ip-in-except'
  | 'ipblock-skips-pods'
  | 'port-differs'
  | 'protocol-differs'
  | 'named-port-missing'
  | 'host-network';

export interface Mismatch {
  code: MismatchCode;
  /** which object was compared: the pod, its namespace, a node, or the address */
  target: 'pod' | 'namespace' | 'node' | 'address' | 'port';
  targetName?: string;
  key?: string;
  expected?: string | string[];
  actual?: string;
  /** one plain sentence */
  message: string;
}

export interface SelectorCheck {
  /** formatted like kubectl (`app=web,tier in (a,b)`) */
  selector: string;
  target: 'pod' | 'namespace' | 'node';
  matched: boolean;
  mismatches: Mismatch[];
}

export interface PeerEvaluation {
  index: number;
  /** "pods app=api in namespaces team=web", "ipBlock 10.0.0.0/8 except 10.1.0.0/16" */
  description: string;
  matched: boolean;
  checks: SelectorCheck[];
  mismatches: Mismatch[];
}

export interface PortEvaluation {
  index: number;
  description: string;
  matched: boolean;
  mismatch?: Mismatch;
}

export interface RuleEvaluation {
  direction: Direction;
  index: number;
  name?: string;
  action: RuleAction;
  /** true when the rule has no peers (matches any peer) */
  anyPeer: boolean;
  /** true when the rule has no ports (matches any port, or any TCP port for `ports:[{}]`-like cases) */
  anyPort: boolean;
  peerMatched: boolean;
  portMatched: boolean;
  matched: boolean;
  peers: PeerEvaluation[];
  ports: PortEvaluation[];
}

export interface PolicyEvaluation {
  policy: PolicyRef;
  tier: Tier;
  priority?: number;
  /** does the policy's subject/podSelector select the pod */
  selectsSubject: boolean;
  subject: SelectorCheck[];
  /** does the policy affect this direction (policyTypes, or rules present for ANP/CNP) */
  appliesToDirection: boolean;
  rules: RuleEvaluation[];
}

export interface Fix {
  description: string;
  /** a shell command, e.g. `kubectl label namespace frontend name=frontend` */
  command?: string;
  /** a complete YAML document (new policy) or the patched object */
  yaml?: string;
  /** the object the fix changes, with before/after YAML for a diff */
  patch?: { object: ObjectRef; before: string; after: string };
}

export type NearMissCode =
  | 'label-one-edit-away'
  | 'namespace-name-label'
  | 'selector-matches-no-pod'
  | 'policy-in-other-namespace'
  | 'named-port-not-exposed'
  | 'policy-types-disables-rules'
  /** two single-selector peers (OR) where one peer with both selectors (AND) was probably meant */
  | 'separate-peers-or';

export interface NearMiss {
  code: NearMissCode;
  policy: PolicyRef;
  direction?: Direction;
  message: string;
  fix?: Fix;
}

export interface DirectionTrace {
  direction: Direction;
  /** false when the side is not a pod the policies can select (external address, hostNetwork pod) */
  applicable: boolean;
  /** isolated by at least one NetworkPolicy in this direction */
  isolated: boolean;
  isolatedBy: PolicyRef[];
  decision: 'allow' | 'deny';
  tier: Tier;
  /** the rule(s) that decided; empty when the decision is a default (no policy, or isolation with no match) */
  decidedBy: RuleRef[];
  /** one sentence: why this side allowed or denied */
  reason: string;
  /** every policy that selects the pod in this direction, plus near-selecting ones (selectsSubject=false) */
  policies: PolicyEvaluation[];
  /** same-priority admin rules that matched with different actions */
  ambiguity?: { priority: number; candidates: RuleRef[]; chosen: RuleRef };
  notes: string[];
}

export interface TraceResult {
  query: { from: string; to: string; port: number; portName?: string; protocol: Protocol };
  source: EndpointInfo;
  destination: EndpointInfo;
  verdict: Verdict;
  egress: DirectionTrace;
  ingress: DirectionTrace;
  /** policies whose rules (or isolation) decided the verdict */
  decidedBy: PolicyRef[];
  /** plain sentences for the CLI; the structured fields above are for the UI and reports */
  explanation: string[];
  /** behaviours assumed (ipBlock vs pod IPs, hairpin/self traffic, partial snapshot) */
  assumptions: string[];
  nearMisses: NearMiss[];
  /** for a denied verdict: new policies that would admit exactly this flow on each denying side */
  suggestedFixes?: Fix[];
  /** the snapshot was partial (some lists forbidden): the verdict may be incomplete */
  partial: boolean;
}

export interface MatrixQuery {
  port: number | string;
  protocol?: Protocol;
}

/** Result of a whole-cluster analysis, computed on equivalence classes of pods. */
export interface MatrixResult {
  port: number;
  portName?: string;
  protocol: Protocol;
  /** `ns/name` of every endpoint pod (pods with an IP), in a stable order */
  pods: string[];
  /** class index for each pod (same index as `pods`) */
  classOf: Int32Array;
  classCount: number;
  /** allowed(srcPodIndex, dstPodIndex) */
  allowed(src: number, dst: number): boolean;
  /**
   * allowed class pairs, as [srcClass, dstClass], for two distinct pods. A pod's traffic to itself can
   * differ from its class pair (ClusterNetworkPolicies exempt hairpin): use `allowed(i, i)` for self pairs.
   */
  allowedClassPairs(): Array<[number, number]>;
  /** pods without an IP that were skipped */
  skipped: string[];
  seconds: number;
}

export interface LintFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  object: ObjectRef;
  message: string;
  fix?: Fix;
}

export class EndpointError extends Error {
  constructor(
    message: string,
    readonly input: string,
    readonly suggestions: string[] = [],
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** Options of `createEngine`. Every field is optional; defaults come from the snapshot's CniFacts. */
export interface EngineOptions {
  /**
   * Does an ipBlock (K8s NetworkPolicy) match pod IPs? Default: `snapshot.cni.ipBlockMatchesPodIPs`,
   * else false under Cilium and true otherwise (no CNI detected, Calico, ...). Always stated in `assumptions`.
   */
  ipBlockMatchesPodIPs?: boolean;
  /** Max Levenshtein distance for "one edit away" near misses (default 2). */
  nearMissDistance?: number;
}

/** The policy engine built once per snapshot (indexes are precomputed; traces are cheap). */
export interface Engine {
  readonly snapshot: Snapshot;
  /** `ns/pod`, a pod IP, or an external IP. Throws EndpointError for an unknown pod. */
  resolveEndpoint(spec: string): EndpointInfo;
  /** Throws EndpointError for unknown endpoints and for a bad port/protocol. */
  trace(q: TraceQuery): TraceResult;
  matrix(q: MatrixQuery): MatrixResult;
  /** The ipBlock-vs-pod-IP behaviour this engine assumes. */
  readonly ipBlockMatchesPodIPs: boolean;
}
