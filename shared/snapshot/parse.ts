import { emptySnapshot } from './types';
import { CNI_CONFIGMAPS as CNI_CONFIGMAP_NAMES } from '../cni/configmaps';
import type { CniFacts, LoadFinding, PartialInfo, Snapshot, SnapshotSource } from './types';
import type { ObjectRef } from '../k8s/types';
import { readSourceDocuments } from './source-text';
import type { PathSegment, SourceDocument } from './source-text';
import { NAMESPACED, validateObject } from './validate-objects';
import type { KnownKind } from './validate-objects';
import { formatFieldPath, isObject, safeString } from './validate-fields';
import { detectCni } from '../cni/detect';

export { SnapshotParseError } from './source-text';

/** Our own kinds, written by `exportSnapshotYaml` to carry what is not a Kubernetes object. */
export const SNAPSHOT_API_VERSION = 'netpol-doctor.dev/v1alpha1';

/** ConfigMaps whose data CNI detection reads; every other ConfigMap is kept without its data. */
export const CNI_CONFIGMAPS: ReadonlySet<string> = new Set(CNI_CONFIGMAP_NAMES);

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

type Classified = KnownKind | 'Secret' | 'SnapshotInfo' | 'CniFacts' | undefined;

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Kind + API group → the snapshot list it belongs to (Calico's NetworkPolicy is told apart by its group). */
export function classifyKind(apiVersion: string, kind: string): Classified {
  const group = apiGroup(apiVersion);
  switch (group) {
    case '':
      if (['Namespace', 'Pod', 'Service', 'Node', 'ConfigMap', 'Secret'].includes(kind))
        return kind as 'Namespace' | 'Pod' | 'Service' | 'Node' | 'ConfigMap' | 'Secret';
      return undefined;
    case 'apps':
      return kind === 'DaemonSet' || kind === 'Deployment' ? kind : undefined;
    case 'networking.k8s.io':
    case 'extensions':
      return kind === 'NetworkPolicy' ? kind : undefined;
    case 'policy.networking.k8s.io':
      return kind === 'AdminNetworkPolicy' ||
        kind === 'BaselineAdminNetworkPolicy' ||
        kind === 'ClusterNetworkPolicy'
        ? kind
        : undefined;
    case 'cilium.io':
      return kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy' ? kind : undefined;
    case 'projectcalico.org':
    case 'crd.projectcalico.org':
      if (kind === 'NetworkPolicy') return 'CalicoNetworkPolicy';
      if (kind === 'GlobalNetworkPolicy') return 'CalicoGlobalNetworkPolicy';
      if (kind === 'Tier') return 'CalicoTier';
      return undefined;
    case 'netpol-doctor.dev':
      return kind === 'SnapshotInfo' || kind === 'CniFacts' ? kind : undefined;
    default:
      return undefined;
  }
}

type ListKey =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'nodes'
  | 'configMaps'
  | 'daemonSets'
  | 'deployments'
  | 'networkPolicies'
  | 'adminNetworkPolicies'
  | 'baselineAdminNetworkPolicies'
  | 'clusterNetworkPolicies'
  | 'ciliumNetworkPolicies'
  | 'ciliumClusterwideNetworkPolicies'
  | 'calicoNetworkPolicies'
  | 'calicoGlobalNetworkPolicies'
  | 'calicoTiers';

export const LIST_OF: Record<KnownKind, ListKey> = {
  Namespace: 'namespaces',
  Pod: 'pods',
  Service: 'services',
  Node: 'nodes',
  ConfigMap: 'configMaps',
  DaemonSet: 'daemonSets',
  Deployment: 'deployments',
  NetworkPolicy: 'networkPolicies',
  AdminNetworkPolicy: 'adminNetworkPolicies',
  BaselineAdminNetworkPolicy: 'baselineAdminNetworkPolicies',
  ClusterNetworkPolicy: 'clusterNetworkPolicies',
  CiliumNetworkPolicy: 'ciliumNetworkPolicies',
  CiliumClusterwideNetworkPolicy: 'ciliumClusterwideNetworkPolicies',
  CalicoNetworkPolicy: 'calicoNetworkPolicies',
  CalicoGlobalNetworkPolicy: 'calicoGlobalNetworkPolicies',
  CalicoTier: 'calicoTiers',
};

interface Origin {
  file: string;
  line?: number;
  column?: number;
}

interface SnapshotInfoItem {
  source?: SnapshotSource;
  takenAt?: string;
  partial?: PartialInfo;
  unknownKinds?: Record<string, number>;
}

interface Loader {
  snapshot: Snapshot;
  /** where each object was first read (positions are computed only when a duplicate needs them) */
  seen: Map<string, { file: string; doc: SourceDocument; path: PathSegment[]; value: Obj; index: number }>;
  secrets: Map<string, number>;
  info?: SnapshotInfoItem;
  cni?: CniFacts;
  unknownApiVersions: Map<string, Set<string>>;
}

function refOf(kind: string, obj: Obj): ObjectRef {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const ref: ObjectRef = {
    kind,
    name: typeof meta.name === 'string' ? meta.name : safeString(meta.name ?? ''),
  };
  if (typeof meta.namespace === 'string') ref.namespace = meta.namespace;
  return ref;
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function where(o: Origin): string {
  return `${o.file}${o.line ? `:${o.line}` : ''}`;
}

/**
 * Reads what `kubectl get ... -o yaml|json` prints (a `List`, any `*List`, single objects, multi-document
 * YAML), from one or several files, into a Snapshot. Malformed YAML/JSON throws `SnapshotParseError`
 * with file and line. Invalid objects are kept and reported in `loadFindings` with an API-style field
 * path; unknown kinds are counted; Secrets are never loaded; ConfigMaps keep only the data CNI detection
 * needs.
 *
 * `source` is used when the texts carry no `SnapshotInfo` item (an exported snapshot says where it came from).
 */
export function parseSnapshotTexts(
  files: { name: string; text: string }[],
  source?: SnapshotSource,
): Snapshot {
  const loader: Loader = {
    snapshot: emptySnapshot(source ?? { type: 'files', paths: files.map((f) => f.name) }),
    seen: new Map(),
    secrets: new Map(),
    unknownApiVersions: new Map(),
  };
  for (const file of files) {
    const docs = readSourceDocuments(file.name, file.text);
    for (const doc of docs) readTopLevel(loader, file.name, doc);
  }
  return finish(loader);
}

function readTopLevel(loader: Loader, file: string, doc: SourceDocument): void {
  const value = doc.value;
  if (value === null || value === undefined) return; // empty document (`---` alone, comments only)
  if (Array.isArray(value)) {
    value.forEach((item, i) => readItem(loader, file, doc, [i], item, undefined));
    return;
  }
  readItem(loader, file, doc, [], value, undefined);
}

function originOf(file: string, doc: SourceDocument, path: PathSegment[]): Origin {
  const pos = doc.locate(path);
  return { file, line: pos?.line, column: pos?.column };
}

function readItem(
  loader: Loader,
  file: string,
  doc: SourceDocument,
  path: PathSegment[],
  item: unknown,
  listDefault: { apiVersion: string; kind: string } | undefined,
): void {
  const findings = loader.snapshot.loadFindings;
  if (!isObject(item)) {
    const o = originOf(file, doc, path);
    findings.push({
      severity: 'error',
      code: 'invalid-object',
      file,
      line: o.line,
      column: o.column,
      message: `expected a Kubernetes object (a mapping with apiVersion and kind), found ${item === null ? 'null' : Array.isArray(item) ? 'a list' : typeof item}`,
    });
    return;
  }
  // raw API list responses (PodList from the API, not kubectl) omit kind/apiVersion on items
  if (listDefault) {
    if (item.kind === undefined) item.kind = listDefault.kind;
    if (item.apiVersion === undefined) item.apiVersion = listDefault.apiVersion;
  }
  const kind = item.kind;
  const apiVersion = item.apiVersion;
  if (typeof kind !== 'string' || !kind || typeof apiVersion !== 'string' || !apiVersion) {
    const missing = typeof kind !== 'string' || !kind ? 'kind' : 'apiVersion';
    const o = originOf(file, doc, path);
    findings.push({
      severity: 'error',
      code: 'invalid-object',
      object: isObject(item.metadata) ? refOf(typeof kind === 'string' ? kind : '?', item) : undefined,
      field: missing,
      file,
      line: o.line,
      column: o.column,
      message: `${missing}: Required value: every object needs apiVersion and kind; this one was not loaded`,
    });
    return;
  }
  if (/List$/.test(kind) && Array.isArray(item.items)) {
    const elementKind = kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -4) };
    item.items.forEach((child, i) => readItem(loader, file, doc, [...path, 'items', i], child, elementKind));
    return;
  }
  const cls = classifyKind(apiVersion, kind);
  if (cls === undefined) {
    const key = kind;
    loader.snapshot.unknownKinds[key] = (loader.snapshot.unknownKinds[key] ?? 0) + 1;
    let versions = loader.unknownApiVersions.get(key);
    if (!versions) loader.unknownApiVersions.set(key, (versions = new Set()));
    versions.add(apiVersion);
    return;
  }
  if (cls === 'Secret') {
    loader.secrets.set(file, (loader.secrets.get(file) ?? 0) + 1);
    return;
  }
  if (cls === 'SnapshotInfo') {
    readSnapshotInfo(loader, file, doc, path, item);
    return;
  }
  if (cls === 'CniFacts') {
    if (isObject(item.facts)) loader.cni = item.facts as unknown as CniFacts;
    else {
      const o = originOf(file, doc, path);
      findings.push({
        severity: 'warning',
        code: 'invalid-object',
        object: refOf('CniFacts', item),
        field: 'facts',
        file,
        line: o.line,
        column: o.column,
        message:
          'facts: Required value: CniFacts item without facts was ignored; the CNI is detected from the objects instead',
      });
    }
    return;
  }
  loadKnown(loader, file, doc, path, cls, item);
}

function readSnapshotInfo(
  loader: Loader,
  file: string,
  doc: SourceDocument,
  path: PathSegment[],
  item: Obj,
): void {
  if (loader.info) {
    const o = originOf(file, doc, path);
    loader.snapshot.loadFindings.push({
      severity: 'warning',
      code: 'duplicate-object',
      object: refOf('SnapshotInfo', item),
      file,
      line: o.line,
      column: o.column,
      message:
        'more than one SnapshotInfo item: the first one is used (several exported snapshots were loaded together)',
    });
    return;
  }
  const info: SnapshotInfoItem = {};
  if (isObject(item.source) && typeof item.source.type === 'string')
    info.source = item.source as unknown as SnapshotSource;
  if (typeof item.takenAt === 'string') info.takenAt = item.takenAt;
  if (isObject(item.partial) && Array.isArray(item.partial.gaps))
    info.partial = item.partial as unknown as PartialInfo;
  if (isObject(item.unknownKinds)) {
    info.unknownKinds = {};
    for (const [k, v] of Object.entries(item.unknownKinds))
      if (typeof v === 'number') info.unknownKinds[k] = v;
  }
  loader.info = info;
}

/** Drops what the engine never needs and what must never be kept (ConfigMap data of unrelated maps). */
function trim(kind: KnownKind, item: Obj): void {
  const meta = isObject(item.metadata) ? item.metadata : undefined;
  if (meta) {
    // `delete` only when present: deleting turns objects into slow dictionary-mode objects
    if (meta.managedFields !== undefined) delete meta.managedFields;
    if (isObject(meta.annotations) && LAST_APPLIED in meta.annotations) {
      delete meta.annotations[LAST_APPLIED];
      if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
    }
  }
  if (kind === 'ConfigMap') {
    if (item.binaryData !== undefined) delete item.binaryData;
    const name = meta && typeof meta.name === 'string' ? meta.name : '';
    if (!CNI_CONFIGMAPS.has(name) && item.data !== undefined) delete item.data;
  }
}

/** What the API server fills in that the engine relies on: a namespace, an (empty) podSelector. */
function normalize(kind: KnownKind, item: Obj): 'namespace-defaulted' | undefined {
  let result: 'namespace-defaulted' | undefined;
  if (!isObject(item.metadata)) item.metadata = { name: '' };
  const meta = item.metadata as Obj;
  if (
    NAMESPACED.has(kind) &&
    (meta.namespace === undefined || meta.namespace === null || meta.namespace === '')
  ) {
    meta.namespace = 'default';
    result = 'namespace-defaulted';
  }
  if (!NAMESPACED.has(kind) && meta.namespace !== undefined) delete meta.namespace;
  if (
    kind === 'NetworkPolicy' &&
    isObject(item.spec) &&
    (item.spec.podSelector === undefined || item.spec.podSelector === null)
  )
    item.spec.podSelector = {};
  if (kind === 'NetworkPolicy' && isObject(item.spec)) {
    // a bare `-` in YAML is null; the API server decodes it into an empty struct (`{}`: "any")
    for (const [dir, peersKey] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      const rules = item.spec[dir];
      if (!Array.isArray(rules)) continue;
      for (let i = 0; i < rules.length; i++) {
        if (rules[i] === null) rules[i] = {};
        const rule = rules[i] as Obj;
        if (!isObject(rule)) continue;
        for (const key of [peersKey, 'ports'])
          if (Array.isArray(rule[key]))
            rule[key] = (rule[key] as unknown[]).map((x) => (x === null ? {} : x));
      }
    }
  }
  if (kind === 'Pod' && isObject(item.spec) && !Array.isArray(item.spec.containers))
    item.spec.containers = [];
  return result;
}

function loadKnown(
  loader: Loader,
  file: string,
  doc: SourceDocument,
  path: PathSegment[],
  kind: KnownKind,
  item: Obj,
): void {
  const snap = loader.snapshot;
  trim(kind, item);
  const issues = validateObject(kind, item);
  const defaulted = normalize(kind, item);
  const ref = refOf(kind, item);
  if (defaulted) {
    const o = originOf(file, doc, path);
    snap.loadFindings.push({
      severity: 'warning',
      code: 'namespace-defaulted',
      object: ref,
      field: 'metadata.namespace',
      file,
      line: o.line,
      column: o.column,
      message: `${describe(ref)} has no metadata.namespace: assumed "default" (kubectl apply would use the current context's namespace)`,
    });
  }
  for (const issue of issues.list) {
    const pos = doc.locate([...path, ...issue.path]);
    const field = formatFieldPath(issue.path);
    snap.loadFindings.push({
      severity: issue.severity,
      code: 'invalid-object',
      object: ref,
      field,
      file,
      line: pos?.line,
      column: pos?.column,
      message: `${describe(ref)} is invalid: ${field}: ${issue.detail}`,
    });
  }
  const list = (snap[LIST_OF[kind]] ??= []) as unknown as Obj[];
  const key = `${kind}/${ref.namespace ?? ''}/${ref.name}`;
  const prev = loader.seen.get(key);
  if (prev) {
    const o = originOf(file, doc, path);
    const first = originOf(prev.file, prev.doc, prev.path);
    const identical = JSON.stringify(prev.value) === JSON.stringify(item);
    snap.loadFindings.push({
      severity: identical ? 'info' : 'warning',
      code: 'duplicate-object',
      object: ref,
      file,
      line: o.line,
      column: o.column,
      message: identical
        ? `${describe(ref)} appears twice (${where(first)} and ${where(o)}) with the same content: loaded once`
        : `${describe(ref)} appears twice with different content: ${where(o)} replaces ${where(first)} (the later one wins, as with kubectl apply)`,
    });
    list[prev.index] = item;
    loader.seen.set(key, { file, doc, path, value: item, index: prev.index });
    return;
  }
  list.push(item);
  loader.seen.set(key, { file, doc, path, value: item, index: list.length - 1 });
}

function finish(loader: Loader): Snapshot {
  const snap = loader.snapshot;
  for (const [file, count] of loader.secrets)
    snap.loadFindings.push({
      severity: 'info',
      code: 'secret-dropped',
      file,
      message: `${count} Secret${count === 1 ? '' : 's'} in ${file} ${count === 1 ? 'was' : 'were'} not loaded: Netpol Doctor never reads Secrets`,
    });
  if (loader.info) {
    if (loader.info.source) snap.source = loader.info.source;
    if (loader.info.takenAt) snap.takenAt = loader.info.takenAt;
    if (loader.info.partial) snap.partial = loader.info.partial;
    for (const [k, v] of Object.entries(loader.info.unknownKinds ?? {}))
      snap.unknownKinds[k] = (snap.unknownKinds[k] ?? 0) + v;
  }
  for (const [kind, count] of Object.entries(snap.unknownKinds)) {
    const versions = loader.unknownApiVersions.get(kind);
    snap.loadFindings.push({
      severity: 'info',
      code: 'unknown-kind',
      object: { kind, name: '' },
      message: `${count} object${count === 1 ? '' : 's'} of kind ${kind}${versions ? ` (${[...versions].join(', ')})` : ''} ${count === 1 ? 'was' : 'were'} ignored: not used for network policy analysis`,
    });
  }
  if (loader.cni) snap.cni = loader.cni;
  else {
    try {
      snap.cni = detectCni(snap);
    } catch (err) {
      // malformed objects are kept: detection must not turn them into a crash of the whole load
      snap.loadFindings.push({
        severity: 'warning',
        code: 'cni-detection-failed',
        message: `the CNI could not be detected (${err instanceof Error ? err.message : String(err)}); fix the invalid objects reported above`,
      });
    }
  }
  return snap;
}

export type { LoadFinding };
