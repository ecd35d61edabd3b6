import type { LintFinding } from '../../engine/types';
import type { LintContext } from '../context';
import { listSome, plural, podKey } from '../context';
import { parseCidr } from '../../snapshot/ip';
import { refOf } from '../fix';
import { ipInBlock, peersOf, podIpList, rulesOf } from './np-model';

/**
 * ipBlock peers whose range covers pod IPs. Whether that matters is implementation-defined
 * (policy-semantics.md §1.2, §3.6): Calico, kube-router and the upstream reference match pod IPs by
 * CIDR; Cilium does not select the pods it manages with CIDR rules.
 */
export function ipBlockCoversPodIps(ctx: LintContext, out: LintFinding[]): void {
  const podsWithIps = ctx.pods.map((p) => ({ pod: p, ips: podIpList(p) })).filter((x) => x.ips.length);
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    for (const dir of ['ingress', 'egress'] as const) {
      rulesOf(np, dir).forEach((rule, i) => {
        peersOf(rule, dir).forEach((peer, j) => {
          const block = peer.ipBlock;
          if (!block || typeof block.cidr !== 'string') return;
          const cidr = parseCidr(block.cidr);
          if (!cidr) return; // invalid: reported by the loader
          const covered = podsWithIps
            .filter((x) => x.ips.some((ip) => ipInBlock(ip, block)))
            .map((x) => podKey(x.pod));
          if (!covered.length) return;
          const key = dir === 'ingress' ? 'from' : 'to';
          const where = `${ns}/${np.metadata.name} ${dir}[${i}].${key}[${j}] ipBlock ${block.cidr}${block.except?.length ? ` except ${block.except.join(', ')}` : ''}`;
          const cni = ctx.cniName === 'unknown' ? 'no CNI detected' : ctx.cniName;
          const message = ctx.ipBlockMatchesPodIPs
            ? `${where} covers the IPs of ${plural(covered.length, 'pod')} (${listSome(covered, 3)}). Assumed behaviour (${cni}; as Calico, kube-router and the upstream reference do): ipBlock matches pod IPs, so this rule ${dir === 'ingress' ? 'admits' : 'reaches'} those pods by address, and the result changes when pods get new IPs. Prefer podSelector/namespaceSelector for pods.`
            : `${where} covers the IPs of ${plural(covered.length, 'pod')} (${listSome(covered, 3)}), but under ${ctx.cniName} an ipBlock does not select pods the CNI manages: this rule does NOT ${dir === 'ingress' ? 'admit' : 'reach'} them. Use podSelector/namespaceSelector to allow pods.`;
          out.push({
            rule: 'ipblock-covers-pod-ips',
            severity: cidr.prefix === 0 ? 'info' : 'warning',
            object: refOf(np),
            message,
          });
        });
      });
    }
  }
}
