/**
 * The policy model (IR) every family compiles into. One policy = a subject (which endpoints it applies
 * to) plus, per direction, an ordered list of rules with an action (Allow / Deny / Pass), peers and ports.
 *
 * How a direction is decided is a property of the policy's *stage*:
 * - `first-match` (ANP, BANP, CNP; later Calico tiers): rules ordered by (priority, name, index); the first
 *   matching rule decides; Pass leaves the stage.
 * - `isolating-union` (K8s NetworkPolicy): a selecting policy isolates the pod; any matching Allow rule of
 *   any isolating policy allows, otherwise deny. (Cilium's deny-over-allow union fits here with Deny rules.)
 */
import type { LabelSelector, Protocol } from '../k8s/types';
import type { ParsedCidr } from '../snapshot/ip';
import type { Direction, PolicyRef, RuleAction, Tier } from './types';

export type Family =
  'NetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

export type StageMode = 'first-match' | 'isolating-union';

export type NamespaceMatch = { kind: 'name'; name: string } | { kind: 'selector'; selector: LabelSelector };

/** A peer of a rule. `id` is unique per distinct peer across all policies (interned), used by the matrix. */
export type PeerIR =
  | {
      kind: 'pods';
      id: number;
      /** namespaces the pods must be in */
      namespaces: NamespaceMatch;
      /** pod selector; undefined = every pod in those namespaces */
      pods?: LabelSelector;
      /** how the policy wrote it, for explanations: 'podSelector', 'namespaceSelector', 'both' (NP) or ANP forms */
      form: 'podSelector' | 'namespaceSelector' | 'both' | 'anp-namespaces' | 'anp-pods';
    }
  | {
      kind: 'cidr';
      id: number;
      cidr: string;
      except: string[];
      parsed?: ParsedCidr;
      parsedExcept: (ParsedCidr | undefined)[];
      /** 'ipBlock': matches pod IPs only if the CNI does so (EngineOptions); 'networks': always (ANP/CNP) */
      source: 'ipBlock' | 'networks';
    }
  | { kind: 'nodes'; id: number; selector: LabelSelector }
  | { kind: 'domains'; id: number; names: string[] }
  /** a peer the engine cannot interpret (no field set, unknown field): fails closed */
  | { kind: 'invalid'; id: number; reason: string };

export interface PortIR {
  /** 'any' = TCP, UDP and SCTP */
  protocol: Protocol | 'any';
  /** undefined = every port of the protocol */
  port?: number;
  endPort?: number;
  /** a named port, resolved on the destination pod */
  name?: string;
  /** the text shown to users ("8080/TCP", "http/TCP", "9000-9100/TCP", "all TCP ports") */
  text: string;
}

export interface RuleIR {
  /** index in spec.ingress / spec.egress */
  index: number;
  name?: string;
  action: RuleAction;
  /** null = any peer (every pod and every address) */
  peers: PeerIR[] | null;
  /** null = any port and protocol */
  ports: PortIR[] | null;
  /** for each entry of `peers`: its index in the source's from/to list (ANP peers may expand to several) */
  peerOrigin?: number[];
  /** set when the rule could not be interpreted and was compiled fail-closed (Deny everything / match nothing) */
  failClosed?: string;
}

export interface DirectionIR {
  /** K8s NP: the policy isolates the subject in this direction (policyTypes). ANP/CNP: false. */
  isolates: boolean;
  rules: RuleIR[];
}

/** Which endpoints a policy applies to. Host-network pods are never subjects. */
export interface SubjectIR {
  namespaces: NamespaceMatch | null;
  /** undefined = all pods of those namespaces */
  pods?: LabelSelector;
}

export interface PolicyIR {
  /** dense index of this policy in the engine */
  id: number;
  ref: PolicyRef;
  family: Family;
  tier: Tier;
  mode: StageMode;
  /** order inside its tier: lower first (ANP/CNP priority); ties broken by name */
  priority?: number;
  subject: SubjectIR;
  ingress?: DirectionIR;
  egress?: DirectionIR;
  /** rules written for a direction that policyTypes switches off (K8s NP) */
  ignoredRules: Partial<Record<Direction, number>>;
  /** the source object, for fixes (before/after YAML) */
  source: unknown;
  /** compile-time warnings (fail-closed peers, endPort on named port, ...) */
  warnings: string[];
}

export const TIER_ORDER: Record<Tier, number> = { admin: 0, networkpolicy: 1, baseline: 2, default: 3 };
