/**
 * Indexes over the snapshot's pods, namespaces and nodes, built once per engine, and the internal
 * endpoint shape the evaluator works on.
 */
import type { LabelSelector, Labels, Node, Pod, Protocol } from '../k8s/types';
import { parseIp, type ParsedIp } from '../snapshot/ip';
import type { Snapshot } from '../snapshot/types';
import type { NamespaceMatch } from './model';
import { matchesSelector } from './selector';
import { editDistance } from './text';
import { EndpointError, type EndpointInfo } from './types';

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamedPort {
  name: string;
  port: number;
  protocol: Protocol;
}

/** An endpoint as the evaluator sees it. */
export interface Endpoint {
  kind: 'pod' | 'external';
  /** `ns/name` for pods, the IP for external addresses */
  key: string;
  namespace?: string;
  name?: string;
  labels: Labels;
  namespaceLabels: Labels;
  ipText?: string;
  ip?: ParsedIp;
  /** node the pod runs on, or the node that owns an external IP */
  node?: string;
  nodeLabels?: Labels;
  hostNetwork: boolean;
  /** a pod-network pod: pod and namespace selectors can select it */
  selectable: boolean;
  /** the endpoint's address is a node address (hostNetwork pods and node IPs) */
  isNodeAddress: boolean;
  namedPorts: NamedPort[];
  pod?: Pod;
}

export class ClusterIndex {
  readonly podsByNamespace = new Map<string, Pod[]>();
  readonly podByKey = new Map<string, Pod>();
  readonly podByIp = new Map<string, Pod>();
  readonly namespaceLabels = new Map<string, Labels>();
  /** namespaces that exist as Namespace objects */
  readonly knownNamespaces = new Set<string>();
  /** namespaces whose labels were completed with kubernetes.io/metadata.name */
  readonly synthesizedNamespaceLabel = new Set<string>();
  readonly nodeByName = new Map<string, Node>();
  readonly nodeByIp = new Map<string, Node>();
  /** pods with an IP, in a stable order (namespace, name) */
  readonly endpointPods: Pod[] = [];
  /** `ns/name` of each of `endpointPods` (same index) */
  readonly endpointKeys: string[] = [];
  /** two pods of the snapshot share one `ns/name` (they then share one endpoint) */
  readonly hasDuplicatePodKeys: boolean;
  readonly podsWithoutIp: Pod[] = [];
  private readonly endpointCache = new Map<string, Endpoint>();

  constructor(readonly snapshot: Snapshot) {
    for (const ns of snapshot.namespaces ?? []) {
      const name = ns.metadata.name;
      this.knownNamespaces.add(name);
      const labels = { ...(ns.metadata.labels ?? {}) };
      if (labels[NS_NAME_LABEL] === undefined) {
        // the API server sets this label on every namespace (1.21+); hand-written files may omit it
        labels[NS_NAME_LABEL] = name;
        this.synthesizedNamespaceLabel.add(name);
      }
      this.namespaceLabels.set(name, labels);
    }
    for (const node of snapshot.nodes ?? []) {
      this.nodeByName.set(node.metadata.name, node);
      for (const a of node.status?.addresses ?? []) {
        if (a.type === 'InternalIP' || a.type === 'ExternalIP') this.nodeByIp.set(a.address, node);
      }
    }
    const pods = [...(snapshot.pods ?? [])].sort((a, b) => {
      const na = a.metadata.namespace ?? 'default';
      const nb = b.metadata.namespace ?? 'default';
      return na < nb
        ? -1
        : na > nb
          ? 1
          : a.metadata.name < b.metadata.name
            ? -1
            : a.metadata.name > b.metadata.name
              ? 1
              : 0;
    });
    for (const pod of pods) {
      const ns = pod.metadata.namespace ?? 'default';
      if (!this.namespaceLabels.has(ns)) {
        this.namespaceLabels.set(ns, { [NS_NAME_LABEL]: ns });
        this.synthesizedNamespaceLabel.add(ns);
      }
      const list = this.podsByNamespace.get(ns);
      if (list) list.push(pod);
      else this.podsByNamespace.set(ns, [pod]);
      const key = `${ns}/${pod.metadata.name}`;
      this.podByKey.set(key, pod);
      const ips = podIps(pod);
      if (ips.length === 0) this.podsWithoutIp.push(pod);
      else {
        this.endpointPods.push(pod);
        this.endpointKeys.push(key);
        for (const ip of ips) {
          const prev = this.podByIp.get(ip);
          // a pod-network pod wins over hostNetwork pods that share the node IP
          if (!prev || (prev.spec?.hostNetwork && !pod.spec?.hostNetwork)) this.podByIp.set(ip, pod);
        }
      }
    }
    this.hasDuplicatePodKeys = this.podByKey.size < pods.length;
  }

  private byLabel?: Map<string, Pod[]>;

  /** pod-network pods carrying label k=v (index built on first use) */
  podsWithLabel(k: string, v: string): Pod[] {
    if (!this.byLabel) {
      this.byLabel = new Map();
      for (const pods of this.podsByNamespace.values())
        for (const pod of pods) {
          if (pod.spec?.hostNetwork) continue;
          for (const [lk, lv] of Object.entries(pod.metadata.labels ?? {})) {
            const key = `${lk}\u0000${lv}`;
            const list = this.byLabel.get(key);
            if (list) list.push(pod);
            else this.byLabel.set(key, [pod]);
          }
        }
    }
    return this.byLabel.get(`${k}\u0000${v}`) ?? [];
  }

  /** Does any pod-network pod in a matching namespace match `pods` (undefined = any pod)? Early exit. */
  anyPodMatches(namespaces: NamespaceMatch | null, pods: LabelSelector | undefined): boolean {
    const nsOk = (ns: string) =>
      !namespaces ||
      (namespaces.kind === 'name'
        ? namespaces.name === ns
        : matchesSelector(namespaces.selector, this.nsLabels(ns)));
    const first = pods?.matchLabels ? Object.entries(pods.matchLabels)[0] : undefined;
    if (first) {
      for (const pod of this.podsWithLabel(first[0], first[1])) {
        if (nsOk(pod.metadata.namespace ?? 'default') && matchesSelector(pods!, pod.metadata.labels ?? {}))
          return true;
      }
      return false;
    }
    for (const [ns, list] of this.podsByNamespace) {
      if (!nsOk(ns)) continue;
      for (const pod of list) {
        if (pod.spec?.hostNetwork) continue;
        if (!pods || matchesSelector(pods, pod.metadata.labels ?? {})) return true;
      }
    }
    return false;
  }

  nsLabels(ns: string): Labels {
    return this.namespaceLabels.get(ns) ?? { [NS_NAME_LABEL]: ns };
  }

  podEndpoint(pod: Pod): Endpoint {
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name}`;
    const cached = this.endpointCache.get(key);
    if (cached) return cached;
    const ipText = firstPodIp(pod);
    const v4 = ipText === undefined ? undefined : ipv4Number(ipText);
    const hostNetwork = pod.spec?.hostNetwork === true;
    const node = pod.spec?.nodeName;
    const ep: Endpoint = {
      kind: 'pod',
      key,
      namespace: ns,
      name: pod.metadata.name,
      labels: pod.metadata.labels ?? {},
      namespaceLabels: this.nsLabels(ns),
      ipText,
      ip: v4 !== undefined ? { family: 4, value: BigInt(v4) } : ipText ? parseIp(ipText) : undefined,
      node,
      nodeLabels: node ? (this.nodeByName.get(node)?.metadata.labels ?? {}) : undefined,
      hostNetwork,
      selectable: !hostNetwork,
      isNodeAddress: hostNetwork,
      namedPorts: namedPorts(pod),
      pod,
    };
    this.endpointCache.set(key, ep);
    return ep;
  }

  externalEndpoint(ipText: string): Endpoint {
    const node = this.nodeByIp.get(ipText);
    return {
      kind: 'external',
      key: ipText,
      labels: {},
      namespaceLabels: {},
      ipText,
      ip: parseIp(ipText),
      node: node?.metadata.name,
      nodeLabels: node ? (node.metadata.labels ?? {}) : undefined,
      hostNetwork: false,
      selectable: false,
      isNodeAddress: !!node,
      namedPorts: [],
    };
  }

  /** `ns/pod`, a pod IP, or an external IP. */
  resolve(spec: string): Endpoint {
    const text = spec.trim();
    if (!text)
      throw new EndpointError('Empty endpoint: give `namespace/pod`, a pod IP or an external IP.', spec);
    const ip = parseIp(text);
    if (ip) {
      const pod = this.podByIp.get(text);
      if (pod && !(pod.spec?.hostNetwork && this.nodeByIp.has(text))) return this.podEndpoint(pod);
      return this.externalEndpoint(text);
    }
    const slash = text.indexOf('/');
    if (slash <= 0 || slash === text.length - 1 || text.indexOf('/', slash + 1) !== -1) {
      const matches = [...this.podByKey.keys()].filter((k) => k.endsWith(`/${text}`));
      throw new EndpointError(
        `"${text}" is not an endpoint: give \`namespace/pod\`, a pod IP or an external IP.`,
        spec,
        matches.length ? matches.slice(0, 5) : this.suggest(text),
      );
    }
    const pod = this.podByKey.get(text);
    if (pod) return this.podEndpoint(pod);
    const ns = text.slice(0, slash);
    const suggestions = this.suggest(text);
    const nsKnown = this.knownNamespaces.has(ns) || this.podsByNamespace.has(ns);
    const msg = nsKnown
      ? `Pod ${text} is not in the snapshot.`
      : `Pod ${text} is not in the snapshot (namespace ${ns} has no pods in it).`;
    throw new EndpointError(
      suggestions.length ? `${msg} Did you mean ${suggestions.slice(0, 3).join(', ')}?` : msg,
      spec,
      suggestions,
    );
  }

  /** Close `ns/pod` names: same prefix (deployment name), small edit distance, same name in other namespaces. */
  suggest(text: string): string[] {
    const scored: [number, string][] = [];
    const [ns, name = ''] = text.includes('/') ? text.split('/', 2) : ['', text];
    for (const key of this.podByKey.keys()) {
      const [kns, kname] = key.split('/', 2);
      let score = Infinity;
      if (name && kname.startsWith(name) && (!ns || kns === ns)) score = 0.5;
      else if (name && kname === name) score = 1;
      else {
        const d = editDistance(text, key, 3);
        if (d <= 3) score = d;
        else if (name && kname.startsWith(name)) score = 2.5;
      }
      if (score !== Infinity) scored.push([score, key]);
    }
    scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    return scored.slice(0, 5).map(([, k]) => k);
  }

  toInfo(ep: Endpoint): EndpointInfo {
    if (ep.kind === 'pod') {
      return {
        kind: 'pod',
        namespace: ep.namespace!,
        name: ep.name!,
        ip: ep.ipText,
        node: ep.node,
        hostNetwork: ep.hostNetwork,
        labels: { ...ep.labels },
        namespaceLabels: { ...ep.namespaceLabels },
      };
    }
    return ep.node
      ? { kind: 'external', ip: ep.ipText!, node: ep.node }
      : { kind: 'external', ip: ep.ipText! };
  }
}

/**
 * A dotted-quad IPv4 address as a number: exactly the texts `parseIp` reads as IPv4 (four parts of 1-3
 * digits, each at most 255, no leading zero); undefined for anything else.
 */
export function ipv4Number(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (ch >= 48 && ch <= 57) {
      if (digits === 1 && part === 0) return undefined; // leading zero
      part = part * 10 + (ch - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else return undefined;
  }
  return dots === 3 && digits > 0 ? value * 256 + part : undefined;
}

/** The pod's address as the engine sees it (`podIps(pod)[0]`). */
export function firstPodIp(pod: Pod): string | undefined {
  const ip = pod.status?.podIP;
  if (ip) return ip;
  for (const p of pod.status?.podIPs ?? []) if (p?.ip) return p.ip;
  return undefined;
}

export function podIps(pod: Pod): string[] {
  const out: string[] = [];
  if (pod.status?.podIP) out.push(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) if (p?.ip && !out.includes(p.ip)) out.push(p.ip);
  return out;
}

export function namedPorts(pod: Pod): NamedPort[] {
  const out: NamedPort[] = [];
  forEachNamedPort(pod, (name, port, protocol) => out.push({ name, port, protocol: protocol as Protocol }));
  return out;
}

/** Calls `f` for each of `namedPorts(pod)`, in order, without building the list. */
export function forEachNamedPort(pod: Pod, f: (name: string, port: number, protocol: string) => void): void {
  const spec = pod.spec;
  if (!spec) return;
  for (let l = 0; l < 2; l++) {
    const list = l === 0 ? spec.containers : spec.initContainers;
    if (!list) continue;
    for (let i = 0; i < list.length; i++) {
      const ports = list[i].ports;
      if (!ports) continue;
      for (let k = 0; k < ports.length; k++) {
        const p = ports[k];
        if (p.name) f(p.name, p.containerPort, p.protocol ?? 'TCP');
      }
    }
  }
}

/**
 * The port number of the first of `namedPorts(pod)` with this name and protocol (and port, when given),
 * read without building the list; null when there is none.
 */
export function findNamedPort(pod: Pod, name: string, protocol: string, port?: number): number | null {
  for (const list of [pod.spec?.containers, pod.spec?.initContainers]) {
    for (const c of list ?? []) {
      for (const p of c.ports ?? []) {
        if (p.name && p.name === name && (p.protocol ?? 'TCP') === protocol)
          if (port === undefined || p.containerPort === port) return p.containerPort;
      }
    }
  }
  return null;
}
