import type { NetworkPolicy, Pod } from '../../k8s/types';
import type { Engine, LintFinding } from '../../engine/types';
import type { LintContext } from '../context';
import { NS_NAME_LABEL, listSome, plural, podKey, podsSelectedByPolicy } from '../context';
import { refOf, toYaml } from '../fix';
import { isolates, podIpList, ruleAllows, rulesOf } from './np-model';

const DNS_LABELS: Array<[string, string]> = [
  ['k8s-app', 'kube-dns'],
  ['k8s-app', 'coredns'],
  ['app.kubernetes.io/name', 'coredns'],
];

function dnsPods(ctx: LintContext): { pods: Pod[]; label?: [string, string] } {
  for (const [k, v] of DNS_LABELS) {
    const pods = ctx.pods.filter((p) => p.metadata.labels?.[k] === v);
    if (pods.length) return { pods, label: [k, v] };
  }
  return { pods: [] };
}

/** Does `pod`'s egress allow DNS (UDP/53) to `dns`, by the NetworkPolicies (or by the engine, when given)? */
function allowsDns(
  ctx: LintContext,
  pod: Pod,
  selecting: NetworkPolicy[],
  dns: Pod | undefined,
  engine?: Engine,
): boolean {
  if (engine && dns && podIpList(pod).length && podIpList(dns).length) {
    try {
      const t = engine.trace({ from: podKey(pod), to: podKey(dns), port: 53, protocol: 'UDP' });
      return t.egress.decision === 'allow';
    } catch {
      // fall back to the structural check below
    }
  }
  for (const np of selecting) {
    if (!isolates(np, 'egress')) continue;
    for (const rule of rulesOf(np, 'egress')) {
      if (dns) {
        if (ruleAllows(ctx, np, rule, 'egress', dns, 'UDP', 53, dns)) return true;
      } else if (
        !(rule.ports ?? []).length ||
        (rule.ports ?? []).some(
          (e) =>
            (e?.protocol ?? 'TCP') === 'UDP' &&
            (e?.port === undefined ||
              e.port === 53 ||
              (typeof e.port === 'number' && e.port <= 53 && (e.endPort ?? e.port) >= 53)),
        )
      )
        return true;
    }
  }
  return false;
}

export function egressWithoutDns(ctx: LintContext, out: LintFinding[], engine?: Engine): void {
  const { pods: dns, label } = dnsPods(ctx);
  const dnsTarget = dns.find((p) => podIpList(p).length) ?? dns[0];
  const byNs = new Map<string, NetworkPolicy[]>();
  for (const np of ctx.snapshot.networkPolicies) {
    const ns = np.metadata.namespace ?? 'default';
    let l = byNs.get(ns);
    if (!l) byNs.set(ns, (l = []));
    l.push(np);
  }
  for (const [ns, policies] of byNs) {
    const selectedBy = new Map<Pod, NetworkPolicy[]>();
    for (const np of policies) {
      if (!isolates(np, 'egress')) continue;
      for (const p of podsSelectedByPolicy(ctx, np)) {
        let l = selectedBy.get(p);
        if (!l) selectedBy.set(p, (l = []));
        l.push(np);
      }
    }
    if (!selectedBy.size) continue;
    // pods isolated by the same set of policies behave the same: check one per set
    const groups = new Map<string, { policies: NetworkPolicy[]; pods: Pod[] }>();
    for (const [pod, nps] of selectedBy) {
      const key = nps.map((n) => n.metadata.name).join('\u0000');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { policies: nps, pods: [] }));
      g.pods.push(pod);
    }
    const affected: Pod[] = [];
    const isolating = new Set<NetworkPolicy>();
    for (const g of groups.values()) {
      const rep = g.pods.find((p) => podIpList(p).length) ?? g.pods[0];
      if (dnsTarget && rep === dnsTarget) continue;
      if (allowsDns(ctx, rep, g.policies, dnsTarget, engine)) continue;
      affected.push(...g.pods);
      for (const np of g.policies) isolating.add(np);
    }
    if (!affected.length) continue;
    const list = [...isolating];
    const main =
      list.find(
        (np) => !rulesOf(np, 'egress').length && Object.keys(np.spec?.podSelector ?? {}).length === 0,
      ) ??
      list.find((np) => !rulesOf(np, 'egress').length) ??
      list[0];
    const dnsNs = dnsTarget?.metadata.namespace ?? 'kube-system';
    const dnsText = dnsTarget ? `the cluster DNS (${listSome(dns.map(podKey), 2)})` : 'any DNS server';
    const fixPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns-egress', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: dnsNs } },
                ...(label ? { podSelector: { matchLabels: { [label[0]]: label[1] } } } : {}),
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    };
    const yaml = toYaml(fixPolicy);
    out.push({
      rule: 'egress-without-dns',
      severity: 'warning',
      object: refOf(main),
      message:
        `${plural(affected.length, 'pod')} in namespace ${ns} (${listSome(affected.map(podKey), 3)}) ${affected.length === 1 ? 'is' : 'are'} isolated for egress by ` +
        `${listSome(list.map((n) => `${ns}/${n.metadata.name}`))} and no egress rule allows DNS (UDP/53) to ${dnsText}: name lookups will time out, which usually looks like "every connection fails".`,
      fix: {
        description: `Allow DNS from every pod in ${ns} to ${dnsTarget ? `${dnsNs} DNS pods` : 'the cluster DNS'} on UDP and TCP 53`,
        command: `kubectl apply -f - <<'EOF'\n${yaml}EOF`,
        yaml,
      },
    });
  }
}
