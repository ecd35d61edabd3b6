/**
 * CNI detection and health from a snapshot's objects (pure: works on live snapshots and on files).
 * Heuristics follow ../../docs wire-facts.md sections 4-6: the API cannot prove that policies are
 * enforced, so every conclusion carries its evidence, and CNIs that do not enforce NetworkPolicy get a
 * prominent warning.
 */
import type { CniFacts, CniName, ComponentHealth, NodeAgentHealth, Snapshot } from '../snapshot/types';
import type { DaemonSet, Pod } from '../k8s/types';
import {
  byName,
  byNamePrefix,
  componentSummary,
  containerImage,
  containersOf,
  daemonSetHealth,
  deploymentHealth,
  findDaemonSet,
  findDeployment,
  imageTag,
  lastFlag,
  nodeAgentHealth,
  podsOf,
  podsWithLabel,
  templateLabel,
  versionFromTag,
} from './workloads';

export interface DetectOptions {
  /** group/versions the API server serves (live snapshots), e.g. "projectcalico.org/v3" */
  apiGroupVersions?: string[];
}

interface Candidate {
  facts: CniFacts;
  /** higher wins when several CNIs are found (a policy engine beats a plain network plugin) */
  priority: number;
}

function base(name: CniName, enforces: CniFacts['enforcesNetworkPolicy']): CniFacts {
  return {
    name,
    enforcesNetworkPolicy: enforces,
    evidence: [],
    warnings: [],
    components: [],
    nodes: [],
    ipBlockMatchesPodIPs: true,
    observability: { hubble: false, calico: false },
  };
}

function configMap(s: Snapshot, name: string, namespace?: string): Record<string, string> | undefined {
  const cm = s.configMaps.find(
    (c) => c.metadata.name === name && (namespace === undefined || c.metadata.namespace === namespace),
  );
  return cm ? (cm.data ?? {}) : undefined;
}

function notReadyWarnings(agent: string, nodes: NodeAgentHealth[]): string[] {
  const bad = nodes.filter((n) => !n.ready);
  if (!bad.length) return [];
  return [
    `${agent} is not ready on ${bad.length === 1 ? 'node' : 'nodes'} ${bad.map((n) => `${n.node}${n.reason ? ` (${n.reason})` : ''}`).join(', ')}: policies on ${bad.length === 1 ? 'that node' : 'those nodes'} may not be up to date`,
  ];
}

function addComponents(f: CniFacts, comps: ComponentHealth[]): void {
  for (const c of comps) {
    f.components.push(c);
    if (c.present) f.evidence.push(componentSummary(c));
  }
}

// ---------- Cilium (and GKE Dataplane V2) ----------

function detectCilium(s: Snapshot): Candidate | undefined {
  const ds =
    findDaemonSet(s, byName(['cilium', 'anetd'])) ??
    findDaemonSet(
      s,
      (d) =>
        templateLabel(d, 'k8s-app') === 'cilium' && containersOf(d).some((c) => c.name === 'cilium-agent'),
    );
  const labelledPods = podsWithLabel(s, 'k8s-app', 'cilium').filter(
    (p) => (p.spec?.containers ?? []).some((c) => c.name === 'cilium-agent') || !ds,
  );
  const config = configMap(s, 'cilium-config', ds?.metadata.namespace);
  if (!ds && !labelledPods.length && !config) return undefined;

  const isDpv2 = ds?.metadata.name === 'anetd';
  const namespace = ds?.metadata.namespace ?? labelledPods[0]?.metadata.namespace ?? 'kube-system';
  const f = base(isDpv2 ? 'gke-dpv2' : 'cilium', true);
  f.ipBlockMatchesPodIPs = false;
  if (isDpv2)
    f.evidence.push(
      'DaemonSet anetd: GKE Dataplane V2 (managed Cilium), which always enforces NetworkPolicy',
    );

  const agentPods = ds ? podsOf(s, ds) : labelledPods;
  const agentImage =
    containerImage(ds, ['cilium-agent']) ??
    agentPods[0]?.spec?.containers?.find((c) => c.name === 'cilium-agent')?.image;
  f.version = versionFromTag(imageTag(agentImage));

  const operator = findDeployment(
    s,
    (d) => d.metadata.name === 'cilium-operator' || templateLabel(d, 'io.cilium/app') === 'operator',
  );
  const relay = findDeployment(
    s,
    (d) => d.metadata.name === 'hubble-relay' || templateLabel(d, 'k8s-app') === 'hubble-relay',
  );
  const relayPods = relay ? podsOf(s, relay) : podsWithLabel(s, 'k8s-app', 'hubble-relay');
  addComponents(f, [
    daemonSetHealth(s, ds, isDpv2 ? 'anetd' : 'cilium', namespace, ['cilium-agent']),
    deploymentHealth(operator, 'cilium-operator', namespace),
    deploymentHealth(relay, 'hubble-relay', namespace),
  ]);
  if (!ds && labelledPods.length) f.evidence.push(`${labelledPods.length} pods labelled k8s-app=cilium`);

  f.nodes = nodeAgentHealth(s, agentPods, 'cilium agent');
  f.warnings.push(...notReadyWarnings('the cilium agent', f.nodes));
  if (operator && (operator.status?.readyReplicas ?? 0) === 0)
    f.warnings.push('cilium-operator has no ready replica: new identities and CRD changes are not processed');

  const cfg = config ?? {};
  if (config)
    f.evidence.push(`ConfigMap cilium-config: enable-policy=${cfg['enable-policy'] ?? '(unset: default)'}`);
  const mode = (cfg['enable-policy'] ?? 'default').toLowerCase();
  const policyEnforcementMode = mode === 'always' || mode === 'never' ? mode : 'default';
  const hubbleEnabled = cfg['enable-hubble'] === undefined ? undefined : cfg['enable-hubble'] === 'true';
  const hubbleRelayPresent = Boolean(relay || relayPods.length);
  f.cilium = {
    policyEnforcementMode,
    ...(hubbleEnabled !== undefined ? { hubbleEnabled } : {}),
    hubbleRelayPresent,
    config: { ...cfg },
  };
  f.observability.hubble = hubbleEnabled !== false && hubbleRelayPresent;
  if (hubbleEnabled === false) f.evidence.push('Hubble is disabled (enable-hubble=false)');
  else if (!hubbleRelayPresent)
    f.evidence.push('Hubble Relay is not deployed: flows cannot be observed cluster-wide');

  if (policyEnforcementMode === 'never') {
    f.enforcesNetworkPolicy = false;
    f.warnings.push(
      'Cilium policy enforcement is disabled (enable-policy=never): NetworkPolicies have no effect',
    );
  } else if (policyEnforcementMode === 'always') {
    f.warnings.push(
      'Cilium enforces policy on every endpoint (enable-policy=always): endpoints that no policy selects are default-deny',
    );
  }
  if (cfg['enable-k8s-networkpolicy'] === 'false') {
    f.enforcesNetworkPolicy = false;
    f.warnings.push(
      'Cilium ignores Kubernetes NetworkPolicy objects (enable-k8s-networkpolicy=false): only CiliumNetworkPolicies are enforced',
    );
  }
  if (cfg['policy-audit-mode'] === 'true') {
    f.enforcesNetworkPolicy = false;
    f.warnings.push(
      'Cilium runs in policy audit mode (policy-audit-mode=true): denials are only logged (AUDIT), traffic is not dropped',
    );
  }
  if (cfg['cni-chaining-mode'] && cfg['cni-chaining-mode'] !== 'none')
    f.evidence.push(`Cilium is chained with another CNI (cni-chaining-mode=${cfg['cni-chaining-mode']})`);
  return { facts: f, priority: 100 };
}

// ---------- Calico and Canal ----------

function detectCalico(s: Snapshot, opts: DetectOptions): Candidate | undefined {
  const canal = findDaemonSet(
    s,
    (d) => d.metadata.name === 'canal' || templateLabel(d, 'k8s-app') === 'canal',
  );
  const node =
    findDaemonSet(s, byName(['calico-node'], 'calico-system')) ??
    findDaemonSet(s, byName(['calico-node'])) ??
    findDaemonSet(
      s,
      (d) => templateLabel(d, 'k8s-app') === 'calico-node' && d.metadata.name !== 'calico-node-windows',
    );
  const nodePods = podsWithLabel(s, 'k8s-app', canal ? 'canal' : 'calico-node');
  const operator = findDeployment(s, (d) => d.metadata.name === 'tigera-operator');
  if (!canal && !node && !nodePods.length) return undefined;

  const agent = canal ?? node;
  const namespace = agent?.metadata.namespace ?? nodePods[0]?.metadata.namespace ?? 'kube-system';
  const install: 'operator' | 'manifest' =
    namespace === 'calico-system' || operator ? 'operator' : 'manifest';
  const f = base(canal ? 'canal' : 'calico', true);
  f.ipBlockMatchesPodIPs = true;
  if (canal)
    f.evidence.push('DaemonSet canal: flannel networking with Calico (Felix) enforcing NetworkPolicy');
  f.evidence.push(
    install === 'operator'
      ? `operator install (tigera-operator, namespace ${namespace})`
      : `manifest install (namespace ${namespace})`,
  );

  const agentPods = agent ? podsOf(s, agent) : nodePods;
  const image =
    containerImage(agent, ['calico-node']) ??
    agentPods[0]?.spec?.containers?.find((c) => c.name === 'calico-node')?.image;
  f.version = versionFromTag(imageTag(image));

  const typha = findDeployment(
    s,
    (d) => d.metadata.name === 'calico-typha' || templateLabel(d, 'k8s-app') === 'calico-typha',
  );
  const kc = findDeployment(
    s,
    (d) =>
      d.metadata.name === 'calico-kube-controllers' ||
      templateLabel(d, 'k8s-app') === 'calico-kube-controllers',
  );
  const goldmane = findDeployment(s, byName(['goldmane']));
  const apiserver = findDeployment(s, byName(['calico-apiserver']));
  addComponents(f, [
    daemonSetHealth(s, agent, canal ? 'canal' : 'calico-node', namespace, ['calico-node']),
    deploymentHealth(kc, 'calico-kube-controllers', namespace),
    ...(typha ? [deploymentHealth(typha, 'calico-typha', namespace)] : []),
    ...(operator ? [deploymentHealth(operator, 'tigera-operator', 'tigera-operator')] : []),
    ...(apiserver
      ? [deploymentHealth(apiserver, 'calico-apiserver', apiserver.metadata.namespace ?? namespace)]
      : []),
    ...(goldmane ? [deploymentHealth(goldmane, 'goldmane', namespace)] : []),
  ]);
  f.nodes = nodeAgentHealth(s, agentPods, canal ? 'canal' : 'calico-node');
  f.warnings.push(...notReadyWarnings(canal ? 'canal (Felix)' : 'calico-node (Felix)', f.nodes));
  if (kc && (kc.status?.readyReplicas ?? 0) === 0)
    f.warnings.push('calico-kube-controllers has no ready replica');

  f.calico = {
    install,
    namespace,
    ...calicoApi(s, opts),
    typha: Boolean(typha),
    kubeControllers: Boolean(kc),
  };
  if (f.calico.v3ApiServed === true) f.evidence.push('projectcalico.org/v3 API is served');
  else if (f.calico.v3ApiServed === false)
    f.evidence.push('only the crd.projectcalico.org/v1 CRDs are served (no Calico API server)');
  f.observability.calico = Boolean(goldmane);
  if (goldmane) f.evidence.push('Goldmane is deployed: Calico flow logs are available');
  return { facts: f, priority: 90 };
}

function calicoApi(s: Snapshot, opts: DetectOptions): { v3ApiServed?: boolean } {
  if (opts.apiGroupVersions) return { v3ApiServed: opts.apiGroupVersions.includes('projectcalico.org/v3') };
  const prior = s.cni?.calico?.v3ApiServed;
  if (prior !== undefined) return { v3ApiServed: prior };
  const pols = [...s.calicoNetworkPolicies, ...s.calicoGlobalNetworkPolicies];
  if (pols.some((p) => p.apiVersion === 'projectcalico.org/v3')) return { v3ApiServed: true };
  return {};
}

// ---------- other policy engines ----------

function simpleAgent(
  s: Snapshot,
  name: CniName,
  ds: DaemonSet | undefined,
  enforces: CniFacts['enforcesNetworkPolicy'],
  priority: number,
  note: string,
  container: string[],
): Candidate | undefined {
  if (!ds) return undefined;
  const f = base(name, enforces);
  addComponents(f, [
    daemonSetHealth(s, ds, ds.metadata.name, ds.metadata.namespace ?? 'kube-system', container),
  ]);
  f.version = versionFromTag(imageTag(containerImage(ds, container)));
  f.evidence.push(note);
  f.nodes = nodeAgentHealth(s, podsOf(s, ds), ds.metadata.name);
  f.warnings.push(...notReadyWarnings(ds.metadata.name, f.nodes));
  return { facts: f, priority };
}

function detectAntrea(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(s, byName(['antrea-agent']));
  return simpleAgent(s, 'antrea', ds, true, 80, 'DaemonSet antrea-agent: Antrea enforces NetworkPolicy', [
    'antrea-agent',
  ]);
}

function detectKubeRouter(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(s, byName(['kube-router']));
  if (!ds) return undefined;
  const args = containersOf(ds).flatMap((c) => c.args ?? []);
  const firewall = lastFlag(args, 'run-firewall');
  const enforces = firewall === 'false' ? false : true;
  const c = simpleAgent(
    s,
    'kube-router',
    ds,
    enforces,
    70,
    `DaemonSet kube-router${firewall ? ` (--run-firewall=${firewall})` : ''}`,
    ['kube-router'],
  );
  if (c && !enforces)
    c.facts.warnings.push('kube-router runs with --run-firewall=false: NetworkPolicies are NOT enforced');
  return c;
}

function detectOvn(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(
    s,
    (d) => d.metadata.name === 'ovnkube-node' || d.metadata.name.startsWith('ovnkube-node'),
  );
  return simpleAgent(
    s,
    'ovn-kubernetes',
    ds,
    true,
    70,
    `DaemonSet ${ds?.metadata.name}: OVN-Kubernetes enforces NetworkPolicy`,
    ['ovnkube-node', 'ovnkube-controller'],
  );
}

function detectWeave(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(s, byName(['weave-net']));
  if (!ds) return undefined;
  const npc = containersOf(ds).some((c) => c.name === 'weave-npc');
  const c = simpleAgent(
    s,
    'weave',
    ds,
    npc ? true : false,
    npc ? 60 : 20,
    npc ? 'DaemonSet weave-net with weave-npc (policy controller)' : 'DaemonSet weave-net without weave-npc',
    ['weave'],
  );
  if (c && !npc)
    c.facts.warnings.push(
      'Weave Net runs without its weave-npc policy controller: NetworkPolicies are NOT enforced',
    );
  if (c) c.facts.warnings.push('Weave Net is archived and no longer maintained');
  return c;
}

function detectAzureNpm(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(
    s,
    (d) => d.metadata.name === 'azure-npm' || templateLabel(d, 'k8s-app') === 'azure-npm',
  );
  const c = simpleAgent(
    s,
    'azure-npm',
    ds,
    true,
    60,
    'DaemonSet azure-npm: Azure Network Policy Manager enforces NetworkPolicy',
    ['azure-npm'],
  );
  if (c)
    c.facts.warnings.push(
      'Azure NPM is being retired: Microsoft recommends migrating to Azure CNI powered by Cilium',
    );
  return c;
}

// ---------- CNIs that do not enforce NetworkPolicy (wire-facts.md section 6) ----------

const NOT_ENFORCED = (what: string, fix: string) =>
  `${what} does not enforce NetworkPolicy: your policies have NO effect on traffic. ${fix}`;

function detectAwsVpcCni(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(
    s,
    (d) => d.metadata.name === 'aws-node' || templateLabel(d, 'k8s-app') === 'aws-node',
  );
  if (!ds) return undefined;
  const agent = containersOf(ds).find(
    (c) => c.name === 'aws-eks-nodeagent' || /aws-network-policy-agent/.test(c.image ?? ''),
  );
  const flag = agent ? lastFlag(agent.args, 'enable-network-policy') : undefined;
  const env = containersOf(ds)
    .flatMap((c) => c.env ?? [])
    .find((e) => e.name === 'ENABLE_NETWORK_POLICY')?.value;
  const cm = configMap(s, 'amazon-vpc-cni');
  const enforces = Boolean(agent) && (flag === 'true' || (flag === undefined && env === 'true'));
  const f = base('aws-vpc-cni', enforces);
  addComponents(f, [
    daemonSetHealth(s, ds, 'aws-node', ds.metadata.namespace ?? 'kube-system', ['aws-node']),
  ]);
  f.version = versionFromTag(imageTag(containerImage(ds, ['aws-node'])));
  f.nodes = nodeAgentHealth(s, podsOf(s, ds), 'aws-node');
  if (!agent)
    f.evidence.push('aws-node has no aws-eks-nodeagent container (network policy agent not installed)');
  else f.evidence.push(`aws-eks-nodeagent --enable-network-policy=${flag ?? '(unset)'}`);
  if (cm?.['enable-network-policy-controller'])
    f.evidence.push(
      `ConfigMap amazon-vpc-cni enable-network-policy-controller=${cm['enable-network-policy-controller']}`,
    );
  if (!enforces)
    f.warnings.push(
      NOT_ENFORCED(
        'The AWS VPC CNI without its network policy agent',
        'Enable it (EKS add-on setting enableNetworkPolicy: "true") or install Calico or Cilium for policy.',
      ),
    );
  else f.warnings.push(...notReadyWarnings('aws-node (network policy agent)', f.nodes));
  return { facts: f, priority: enforces ? 60 : 10 };
}

function detectAzureCni(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(
    s,
    (d) =>
      d.metadata.name === 'azure-cns' ||
      d.metadata.name.startsWith('azure-cni') ||
      templateLabel(d, 'k8s-app') === 'azure-cns',
  );
  if (!ds) return undefined;
  const f = base('azure-cni', false);
  addComponents(f, [
    daemonSetHealth(s, ds, ds.metadata.name, ds.metadata.namespace ?? 'kube-system', [ds.metadata.name]),
  ]);
  f.nodes = nodeAgentHealth(s, podsOf(s, ds), ds.metadata.name);
  f.evidence.push('Azure CNI without azure-npm, Calico or Cilium');
  f.warnings.push(
    NOT_ENFORCED(
      'Azure CNI without a network policy engine',
      'Recreate the cluster or node pools with --network-policy cilium (or calico).',
    ),
  );
  return { facts: f, priority: 5 };
}

/** kind ≥ v0.24.0 (kindnetd image v20240813 and later) embeds kube-network-policies. */
function kindnetEnforces(image: string | undefined): boolean | 'unknown' {
  const tag = imageTag(image);
  if (!tag) return 'unknown';
  const date = /^v?(\d{8})/.exec(tag);
  if (date) return Number(date[1]) >= 20240813;
  const semver = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (semver) {
    const [maj, min] = [Number(semver[1]), Number(semver[2])];
    return maj > 1 || (maj === 1 && min >= 3);
  }
  return 'unknown';
}

function detectKindnet(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(s, (d) => d.metadata.name === 'kindnet' || templateLabel(d, 'app') === 'kindnet');
  if (!ds) return undefined;
  const image = containerImage(ds, ['kindnet-cni']);
  const enforces = kindnetEnforces(image);
  const f = base('kindnet', enforces);
  addComponents(f, [
    daemonSetHealth(s, ds, 'kindnet', ds.metadata.namespace ?? 'kube-system', ['kindnet-cni']),
  ]);
  f.version = imageTag(image);
  f.nodes = nodeAgentHealth(s, podsOf(s, ds), 'kindnet');
  f.evidence.push(`kindnet image ${image ?? '(unknown)'}`);
  if (enforces === false)
    f.warnings.push(
      NOT_ENFORCED(
        `kindnet ${f.version ?? ''} (kind older than v0.24.0)`.replace('  ', ' '),
        'Upgrade kind to v0.24.0 or later, or install Calico or Cilium.',
      ),
    );
  else if (enforces === 'unknown')
    f.warnings.push(
      'kindnet version not recognised: NetworkPolicy is enforced only by kind v0.24.0 and later',
    );
  return { facts: f, priority: enforces === true ? 50 : 10 };
}

function detectFlannel(s: Snapshot): Candidate | undefined {
  const ds = findDaemonSet(
    s,
    (d) => byNamePrefix('kube-flannel-ds')(d) || templateLabel(d, 'app') === 'flannel',
  );
  const k3s = s.nodes.find((n) => n.metadata.labels?.['node.kubernetes.io/instance-type'] === 'k3s');
  if (!ds && !k3s) return undefined;
  if (!ds && k3s) {
    const args = k3s.metadata.annotations?.['k3s.io/node-args'] ?? '';
    const disabled = args.includes('--disable-network-policy');
    const f = base('flannel', !disabled);
    f.evidence.push(
      `k3s node ${k3s.metadata.name}: embedded flannel${disabled ? ' with --disable-network-policy' : ' with the embedded kube-router policy controller'}`,
    );
    if (disabled)
      f.warnings.push(
        NOT_ENFORCED(
          'k3s started with --disable-network-policy',
          'Remove the flag or install a policy engine.',
        ),
      );
    return { facts: f, priority: disabled ? 10 : 40 };
  }
  const f = base('flannel', false);
  addComponents(f, [
    daemonSetHealth(s, ds, ds!.metadata.name, ds!.metadata.namespace ?? 'kube-flannel', ['kube-flannel']),
  ]);
  f.version = versionFromTag(imageTag(containerImage(ds, ['kube-flannel'])));
  f.nodes = nodeAgentHealth(s, podsOf(s, ds!), 'flannel');
  f.warnings.push(
    NOT_ENFORCED('flannel', 'Install Canal (flannel + Calico policy) or another policy engine.'),
  );
  return { facts: f, priority: 10 };
}

const DETECTORS: ((s: Snapshot, o: DetectOptions) => Candidate | undefined)[] = [
  detectCilium,
  detectCalico,
  detectAntrea,
  detectKubeRouter,
  detectOvn,
  detectWeave,
  detectAzureNpm,
  detectAwsVpcCni,
  detectKindnet,
  detectFlannel,
  detectAzureCni,
];

/** Detects the CNI that decides NetworkPolicy, its version, health per node, and whether it enforces policies. */
export function detectCni(snapshot: Snapshot, opts: DetectOptions = {}): CniFacts {
  const found = DETECTORS.map((d) => d(snapshot, opts)).filter((c): c is Candidate => Boolean(c));
  if (!found.length) {
    const f = base('unknown', 'unknown');
    const readSystem = snapshot.daemonSets.length > 0;
    f.evidence.push(
      readSystem
        ? 'no known CNI DaemonSet found (looked for cilium, calico-node, canal, antrea, kube-router, ovnkube-node, weave-net, azure-npm, aws-node, kindnet, flannel)'
        : 'the snapshot holds no DaemonSets, so the CNI cannot be detected',
    );
    if (readSystem)
      f.warnings.push(
        'No known CNI found: cannot tell whether NetworkPolicy is enforced (Docker Desktop, minikube bridge and plain bridge CNIs do not enforce it)',
      );
    return f;
  }
  found.sort((a, b) => b.priority - a.priority);
  const primary = found[0].facts;
  for (const other of found.slice(1)) {
    primary.evidence.push(
      `also found: ${other.facts.name}${other.facts.version ? ` ${other.facts.version}` : ''}`,
    );
  }
  return primary;
}

/** "Is the agent on the node of pod X healthy?" undefined when the snapshot tells nothing about that node. */
export function agentHealthForNode(
  facts: CniFacts | undefined,
  node: string | undefined,
): NodeAgentHealth | undefined {
  if (!facts || !node) return undefined;
  return facts.nodes.find((n) => n.node === node);
}

/** Same, starting from a pod. */
export function agentHealthForPod(facts: CniFacts | undefined, pod: Pod): NodeAgentHealth | undefined {
  return agentHealthForNode(facts, pod.spec?.nodeName);
}
