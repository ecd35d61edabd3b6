/** The one list of CNI ConfigMaps the analysis reads, shared by the live loader and the file loader. */

/** ConfigMaps read for CNI detection; only the keys in KEPT_CONFIGMAP_KEYS survive. */
export const CNI_CONFIGMAPS: string[] = [
  'cilium-config',
  'calico-config',
  'amazon-vpc-cni',
  'kube-flannel-cfg',
  'canal-config',
];

export const KEPT_CONFIGMAP_KEYS: Record<string, string[]> = {
  'cilium-config': [
    'enable-policy',
    'enable-k8s-networkpolicy',
    'policy-audit-mode',
    'enable-hubble',
    'hubble-listen-address',
    'hubble-disable-tls',
    'hubble-network-policy-correlation-enabled',
    'cluster-name',
    'cluster-id',
    'cni-chaining-mode',
    'cni-exclusive',
    'routing-mode',
    'tunnel-protocol',
    'tunnel',
    'kube-proxy-replacement',
    'enable-host-firewall',
    'enable-l7-proxy',
    'enable-ipv4',
    'enable-ipv6',
    'ipam',
    'cluster-pool-ipv4-cidr',
    'policy-cidr-match-mode',
    'enable-endpoint-routes',
    'identity-allocation-mode',
  ],
  'calico-config': ['calico_backend', 'typha_service_name', 'veth_mtu'],
  'canal-config': ['calico_backend', 'masquerade', 'canal_iface'],
  'amazon-vpc-cni': [
    'enable-network-policy-controller',
    'enable-windows-ipam',
    'enable-windows-prefix-delegation',
  ],
  'kube-flannel-cfg': ['net-conf.json'],
};
