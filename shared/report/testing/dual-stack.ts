/**
 * A dual-stack variant of the demo cluster for the anonymizer tests (tests only): every pod and node
 * gets an IPv6 address next to its IPv4 one, and two policies use IPv6 ipBlocks with `except`
 * (one written in full, upper-case form).
 */
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../../k8s/types';
import { parseSnapshotTexts } from '../../snapshot/parse';
import type { Snapshot } from '../../snapshot/types';

/** The IPv6 ipBlocks the fixture adds, as written in the policies. */
export const V6_BLOCKS = {
  partner: { cidr: '2001:db8:beef::/48', except: '2001:0DB8:BEEF:DEAD:0000:0000:0000:0000/64' },
  office: { cidr: '2001:db8:cafe::/48', except: '2001:db8:cafe:1::/64' },
} as const;

/** `2001:db8:42:<node>::<n>` for the n-th pod with an IP, `2001:db8:42::a|b` for the nodes. */
export function dualStackDemo(demoYaml: string): { snapshot: Snapshot; podV6: Map<string, string> } {
  const list = parse(demoYaml) as { items: KubeObject[] };
  const podV6 = new Map<string, string>();
  for (const it of list.items) {
    const o = it as KubeObject & {
      spec?: { nodeName?: string; hostNetwork?: boolean };
      status?: { podIP?: string; podIPs?: { ip: string }[]; addresses?: { type: string; address: string }[] };
    };
    if (o.kind === 'Node')
      o.status?.addresses?.push({
        type: 'InternalIP',
        address: `2001:db8:42::${o.metadata.name === 'node-a' ? 'a' : 'b'}`,
      });
    if (o.kind === 'Pod' && o.status?.podIP && !o.spec?.hostNetwork) {
      const v6 = `2001:db8:42:${o.spec?.nodeName === 'node-a' ? 1 : 2}::${(podV6.size + 1).toString(16)}`;
      o.status.podIPs = [{ ip: o.status.podIP }, { ip: v6 }];
      podV6.set(`${o.metadata.namespace}/${o.metadata.name}`, v6);
    }
  }
  const np = (namespace: string, name: string, spec: object): KubeObject =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace },
      spec,
    }) as KubeObject;
  list.items.push(
    np('payments', 'allow-partner-v6', {
      podSelector: { matchLabels: { app: 'payments' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: V6_BLOCKS.partner.cidr, except: [V6_BLOCKS.partner.except] } }],
          ports: [{ port: 443, protocol: 'TCP' }],
        },
      ],
    }),
    np('backend', 'allow-office-v6', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: V6_BLOCKS.office.cidr, except: [V6_BLOCKS.office.except] } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    }),
  );
  return { snapshot: parseSnapshotTexts([{ name: 'dual-stack.yaml', text: stringify(list) }]), podV6 };
}
