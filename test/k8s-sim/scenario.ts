/**
 * Scenario: what the simulated cluster serves. From a YAML file or an object.
 *
 * ```yaml
 * objects:                       # K8s objects, or paths (relative to this file) to kubectl Lists / multi-doc YAML
 *   - ../../../assets/demo/cluster.yaml
 *   - {apiVersion: v1, kind: Secret, metadata: {...}, data: {...}}
 * crds: [cilium.io/v2, policy.networking.k8s.io/v1alpha1]   # optional API groups served (even when empty)
 * users:
 *   - {name: admin, token: T, groups: [system:masters]}
 *   - name: restricted
 *     cert: true                 # client certificate (CN = name, O = groups); {expired: true} for an expired one
 *     rules: [{verbs: [get, list, watch], resources: [pods], apiGroups: [''], namespaces: [backend]}]
 * groupRules: {dev-team: [...rules]}
 * portForwards: [{namespace: kube-system, pod: hubble-relay-x, port: 4245, target: '127.0.0.1:4245'}]
 * ```
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { SimRule } from './rbac.js';
import type { ResourceDef } from './resources.js';
import type { KubeObjectLike } from './store.js';

export interface SimUser {
  name: string;
  /** Bearer token. */
  token?: string;
  /** Client certificate signed by the simulator's CA. */
  cert?: boolean | { expired?: boolean };
  groups?: string[];
  rules?: SimRule[];
}

export interface SimPortForward {
  namespace: string;
  pod: string;
  port: number;
  /** `127.0.0.1:NNNN` (loopback only). */
  target: string;
}

export interface SimScenario {
  /** Objects, or paths to YAML/JSON files holding objects or Lists. */
  objects?: (KubeObjectLike | string)[] | string;
  /** Optional API groups served (`cilium.io/v2`, `projectcalico.org/v3`, `crd.projectcalico.org/v1`, ...). */
  crds?: string[];
  /** Extra resource kinds (custom CRDs) the catalog does not know. */
  resources?: ResourceDef[];
  users?: SimUser[];
  groupRules?: Record<string, SimRule[]>;
  portForwards?: SimPortForward[];
  /** Served by /version. Default 1.34.2. */
  version?: string;
  /** Base directory for relative paths (set automatically when loaded from a file). */
  baseDir?: string;
}

export class ScenarioError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flatten documents: Lists (`kind: List` or `XList` with items) become their items. */
export function flattenObjects(docs: unknown[], source: string): KubeObjectLike[] {
  const out: KubeObjectLike[] = [];
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (!isObject(doc)) throw new ScenarioError(`k8s-sim: ${source}: expected an object, got ${typeof doc}`);
    if (Array.isArray(doc.items) && typeof doc.kind === 'string' && doc.kind.endsWith('List')) {
      const itemApiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : 'v1';
      const itemKind = doc.kind === 'List' ? undefined : doc.kind.slice(0, -4);
      for (const item of doc.items as unknown[]) {
        if (!isObject(item)) throw new ScenarioError(`k8s-sim: ${source}: a list item is not an object`);
        const filled = {
          ...item,
          apiVersion: item.apiVersion ?? (itemKind ? itemApiVersion : undefined),
          kind: item.kind ?? itemKind,
        };
        out.push(...flattenObjects([filled], source));
      }
      continue;
    }
    const meta = doc.metadata;
    if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' || !isObject(meta)) {
      throw new ScenarioError(
        `k8s-sim: ${source}: object without apiVersion/kind/metadata: ${JSON.stringify(doc).slice(0, 120)}`,
      );
    }
    if (typeof meta.name !== 'string') {
      throw new ScenarioError(`k8s-sim: ${source}: ${doc.kind} without metadata.name`);
    }
    out.push(doc as KubeObjectLike);
  }
  return out;
}

export function readObjectsFile(file: string): KubeObjectLike[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`k8s-sim: cannot read objects file ${file}: ${(e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new ScenarioError(`k8s-sim: ${file}: ${d.errors[0]!.message}`);
    values.push(d.toJS());
  }
  return flattenObjects(values, file);
}

export function loadScenarioFile(file: string): SimScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`k8s-sim: cannot read scenario ${file}: ${(e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  if (docs.length !== 1 || docs[0]!.errors.length > 0) {
    throw new ScenarioError(
      `k8s-sim: ${file}: ${docs[0]?.errors[0]?.message ?? 'expected exactly one YAML document'}`,
    );
  }
  const value: unknown = docs[0]!.toJS();
  if (!isObject(value)) throw new ScenarioError(`k8s-sim: ${file}: the scenario must be a mapping`);
  return { ...(value as SimScenario), baseDir: path.dirname(path.resolve(file)) };
}

/** Resolve `objects:` (inline objects and file paths) into a flat object list. */
export function scenarioObjects(s: SimScenario): KubeObjectLike[] {
  const base = s.baseDir ?? process.cwd();
  const entries = s.objects === undefined ? [] : Array.isArray(s.objects) ? s.objects : [s.objects];
  const out: KubeObjectLike[] = [];
  for (const e of entries) {
    if (typeof e === 'string') out.push(...readObjectsFile(path.resolve(base, e)));
    else out.push(...flattenObjects([e], 'scenario objects'));
  }
  return out;
}
