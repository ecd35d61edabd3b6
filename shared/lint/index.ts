import type { Engine, LintFinding } from '../engine/types';
import type { Snapshot } from '../snapshot/types';
import { buildContext } from './context';
import { policySelectsNoPod, peersLookLikeAnd, selectorPeers } from './rules/selectors';
import { egressWithoutDns } from './rules/egress-dns';
import { adminNamedPortNotExposed, namedPortNotExposed, policyTypesDisablesRules } from './rules/ports';
import { ipBlockCoversPodIps } from './rules/ipblock';
import { duplicatePolicies, shadowedPolicies } from './rules/redundancy';
import { namespaceWithoutDefaultDeny, podsWithoutIp } from './rules/coverage';
import { adminPriorityTies } from './rules/admin';
import { loadFindingsAsLint } from './rules/load';
import { wellFormedView } from '../snapshot/well-formed';

/** Every rule id `lintSnapshot` can report. */
export const LINT_RULES = [
  'invalid-object',
  'duplicate-object',
  'policy-selects-no-pod',
  'peer-matches-no-pod',
  'namespace-selector-matches-nothing',
  'peers-look-like-and',
  'egress-without-dns',
  'policy-types-disables-rules',
  'named-port-not-exposed',
  'ipblock-covers-pod-ips',
  'duplicate-policy',
  'shadowed-policy',
  'admin-priority-tie',
  'namespace-without-default-deny',
  'pod-without-ip',
] as const;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Static checks of a snapshot's policies: mistakes that silently allow or block traffic. With an
 * engine, DNS reachability is checked by a real trace (all policy tiers) and the ipBlock behaviour
 * is the engine's; without one, NetworkPolicy rules are checked structurally.
 */
export function lintSnapshot(snapshot: Snapshot, engine?: Engine): LintFinding[] {
  const ctx = buildContext(wellFormedView(snapshot), engine?.ipBlockMatchesPodIPs);
  const out: LintFinding[] = [];
  loadFindingsAsLint(snapshot, out);
  policySelectsNoPod(ctx, out);
  selectorPeers(ctx, out);
  peersLookLikeAnd(ctx, out);
  egressWithoutDns(ctx, out, engine);
  policyTypesDisablesRules(ctx, out);
  namedPortNotExposed(ctx, out);
  adminNamedPortNotExposed(ctx, out);
  ipBlockCoversPodIps(ctx, out);
  const duplicates = duplicatePolicies(ctx, out);
  shadowedPolicies(ctx, out, duplicates);
  adminPriorityTies(ctx, out);
  namespaceWithoutDefaultDeny(ctx, out);
  podsWithoutIp(ctx, out);
  // stable order: severity, then rule, then object (sort is stable for equal keys)
  return out.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
