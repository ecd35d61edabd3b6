import { matchesSelector } from '../engine/selector';
import type { DirectionTrace, EndpointInfo, LintFinding, PolicyRef } from '../engine/types';
import type { KubeObject, NetworkPolicy } from '../k8s/types';
import type { CniFacts, Snapshot } from '../snapshot/types';
import type { Diagnosis } from '../diagnose/types';
import { cleanObject, findPolicy, formatPolicyRef, POLICY_LISTS, toYaml } from '../diagnose/objects';
import { effectivePolicyTypes } from '../diagnose/np-analysis';
import {
  REPORT_SCHEMA_VERSION,
  type ReportCni,
  type ReportCoverageRow,
  type ReportEndpoint,
  type ReportModel,
  type ReportSide,
  type ReportStep,
} from './types';

export interface ReportInput {
  snapshot: Snapshot;
  diagnosis?: Diagnosis;
  lint: LintFinding[];
  cni?: CniFacts;
  contextName?: string;
  /** API server URL or host; reduced to host[:port] */
  server?: string;
  version: string;
  generatedAt?: string;
}

/** `https://user:pw@api.example.com:6443/path?token=x` → `api.example.com:6443`. */
export function serverHost(server: string | undefined): string | undefined {
  if (!server) return undefined;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]+)(:\d+)?/i.exec(server.trim());
  return m ? `${m[1]}${m[2] ?? ''}` : undefined;
}

function endpoint(e: EndpointInfo): ReportEndpoint {
  if (e.kind === 'pod')
    return {
      name: `${e.namespace}/${e.name}`,
      kind: 'pod',
      ...(e.ip ? { ip: e.ip } : {}),
      ...(e.node ? { node: e.node } : {}),
      labels: { ...e.labels },
    };
  return { name: e.ip, kind: 'external', ip: e.ip, ...(e.node ? { node: e.node } : {}) };
}

function side(dt: DirectionTrace): ReportSide {
  return {
    direction: dt.direction,
    applicable: dt.applicable,
    decision: dt.decision,
    reason: dt.reason,
    decidedBy: dt.decidedBy.map(
      (r) => `${formatPolicyRef(r.policy)} ${r.direction} rule ${r.index + 1} (${r.action})`,
    ),
    isolatedBy: dt.isolatedBy.map(formatPolicyRef),
  };
}

/** Policy YAML for a report: server fields and ALL annotations removed (annotations may carry anything). */
export function policyYaml(obj: KubeObject): string {
  const c = cleanObject(obj) as KubeObject;
  delete c.metadata.annotations;
  delete c.metadata.ownerReferences;
  return toYaml(c);
}

function allPolicies(s: Snapshot): { ref: PolicyRef; obj: KubeObject }[] {
  const out: { ref: PolicyRef; obj: KubeObject }[] = [];
  for (const [kind, key] of Object.entries(POLICY_LISTS) as [PolicyRef['kind'], keyof Snapshot][]) {
    for (const o of s[key] as KubeObject[])
      out.push({ ref: { kind, namespace: o.metadata.namespace, name: o.metadata.name }, obj: o });
  }
  return out;
}

/** Pods isolated for ingress/egress per namespace (Kubernetes NetworkPolicy isolation). */
export function policyCoverage(s: Snapshot): ReportCoverageRow[] {
  const rows = new Map<string, ReportCoverageRow>();
  const row = (ns: string) => {
    let r = rows.get(ns);
    if (!r)
      rows.set(ns, (r = { namespace: ns, pods: 0, isolatedIngress: 0, isolatedEgress: 0, policies: 0 }));
    return r;
  };
  for (const n of s.namespaces) row(n.metadata.name);
  const byNs = new Map<string, NetworkPolicy[]>();
  for (const p of s.networkPolicies) {
    const ns = p.metadata.namespace ?? 'default';
    row(ns).policies++;
    byNs.set(ns, [...(byNs.get(ns) ?? []), p]);
  }
  for (const pod of s.pods) {
    if (!pod.status?.podIP || pod.spec.hostNetwork) continue;
    const ns = pod.metadata.namespace ?? 'default';
    const r = row(ns);
    r.pods++;
    const selecting = (byNs.get(ns) ?? []).filter((p) =>
      matchesSelector(p.spec.podSelector ?? {}, pod.metadata.labels),
    );
    if (selecting.some((p) => effectivePolicyTypes(p).has('Ingress'))) r.isolatedIngress++;
    if (selecting.some((p) => effectivePolicyTypes(p).has('Egress'))) r.isolatedEgress++;
  }
  return [...rows.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

function cniModel(c: CniFacts): ReportCni {
  return {
    name: c.name,
    version: c.version,
    enforcesNetworkPolicy: c.enforcesNetworkPolicy,
    evidence: [...c.evidence],
    warnings: [...c.warnings],
    components: c.components.map((x) => ({
      kind: x.kind,
      namespace: x.namespace,
      name: x.name,
      present: x.present,
      ready: x.ready,
      desired: x.desired,
      version: x.version,
    })),
    nodes: c.nodes.map((n) => ({ node: n.node, pod: n.pod, ready: n.ready, reason: n.reason })),
    observability: { ...c.observability },
  };
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Builds the format-independent report. Reads only the snapshot, the diagnosis and lint: no credentials. */
export function buildReportModel(input: ReportInput): ReportModel {
  const { snapshot: s, diagnosis: d } = input;
  const cni = input.cni ?? d?.cni ?? s.cni;
  const src = s.source;
  const involvedNs = new Set<string>();
  if (d) {
    for (const e of [d.trace.source, d.trace.destination]) if (e.kind === 'pod') involvedNs.add(e.namespace);
    for (const p of d.involvedPolicies) if (p.namespace) involvedNs.add(p.namespace);
  }
  const policies = d
    ? d.involvedPolicies.flatMap((ref) => {
        const obj = findPolicy(s, ref);
        return obj
          ? [{ kind: ref.kind, namespace: ref.namespace, name: ref.name, yaml: policyYaml(obj) }]
          : [];
      })
    : allPolicies(s).map(({ ref, obj }) => ({
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        yaml: policyYaml(obj),
      }));
  const lint = input.lint
    .filter((f) => {
      const ns = f.object.kind === 'Namespace' ? f.object.name : f.object.namespace;
      return !d || !ns || involvedNs.has(ns);
    })
    .map((f) => ({
      rule: f.rule,
      severity: f.severity,
      object: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`,
      namespace: f.object.kind === 'Namespace' ? f.object.name : f.object.namespace,
      message: f.message,
    }));

  const notChecked: string[] = [];
  for (const g of s.partial?.gaps ?? []) notChecked.push(`Not readable with your access: ${g.message}.`);
  if (!cni || cni.name === 'unknown')
    notChecked.push('The CNI could not be identified: whether policies are enforced was not checked.');
  else if (cni.enforcesNetworkPolicy === 'unknown')
    notChecked.push(`Whether ${cni.name} enforces NetworkPolicy could not be determined.`);
  if (src.type !== 'context')
    notChecked.push(
      'The snapshot comes from files: agent health and CNI facts are as recorded in them, not observed live.',
    );
  notChecked.push(
    'Observed traffic (Hubble or Calico flow logs) is not part of this report: verdicts are computed from the policies.',
  );
  for (const [kind, n] of Object.entries(s.unknownKinds))
    notChecked.push(
      `${n} object${n === 1 ? '' : 's'} of kind ${kind} ${n === 1 ? 'was' : 'were'} not understood and not evaluated.`,
    );
  const shallow =
    s.ciliumNetworkPolicies.length +
    s.ciliumClusterwideNetworkPolicies.length +
    s.calicoNetworkPolicies.length +
    s.calicoGlobalNetworkPolicies.length;
  if (shallow)
    notChecked.push(
      `Policy coverage counts Kubernetes NetworkPolicy isolation only; ${shallow} Cilium/Calico polic${shallow === 1 ? 'y is' : 'ies are'} not counted there.`,
    );
  const noIp = s.pods.filter((p) => !p.status?.podIP).length;
  if (noIp)
    notChecked.push(
      `${noIp} pod${noIp === 1 ? '' : 's'} without an IP ${noIp === 1 ? 'was' : 'were'} skipped.`,
    );
  for (const st of d?.steps ?? [])
    if (st.status === 'skip') notChecked.push(`${st.title} step skipped: ${st.skipReason ?? st.summary}.`);

  const steps: ReportStep[] | undefined = d?.steps.map((st) => ({
    id: st.id,
    title: st.title,
    status: st.status,
    summary: st.summary,
    ...(st.skipReason ? { skipReason: st.skipReason } : {}),
    evidence: st.evidence.map((e) => ({
      label: e.label,
      value: e.value,
      state: e.state ?? 'neutral',
      ...(e.highlight ? { highlight: e.highlight } : {}),
      ...(e.comparison
        ? {
            comparison: {
              selector: e.comparison.selector,
              target: e.comparison.target,
              targetName: e.comparison.targetName,
              labels: { ...e.comparison.labels },
              matched: e.comparison.matched,
              differingKeys: [...e.comparison.differingKeys],
            },
          }
        : {}),
    })),
    findings: st.findings.map((f) => ({
      message: f.message,
      severity: f.severity,
      ...(f.code ? { code: f.code } : {}),
      ...(f.fix
        ? {
            fix: {
              description: f.fix.description,
              kind: f.fix.kind,
              ...(f.fix.kind === 'command' && f.fix.command ? { command: f.fix.command } : {}),
              ...(f.fix.yaml && f.fix.kind !== 'command' ? { yaml: f.fix.yaml } : {}),
              ...(f.fix.diff ? { diff: f.fix.diff } : {}),
            },
          }
        : {}),
    })),
  }));

  const policyCount = allPolicies(s).length;
  const q = d?.question;
  const t = d?.trace;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'NetpolDoctorReport',
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    tool: { name: 'Netpol Doctor', version: input.version },
    source: {
      type: src.type,
      ...(src.type === 'context' || input.contextName
        ? { context: input.contextName ?? (src.type === 'context' ? src.context : undefined) }
        : {}),
      ...(serverHost(input.server ?? (src.type === 'context' ? src.server : undefined))
        ? { server: serverHost(input.server ?? (src.type === 'context' ? src.server : undefined)) }
        : {}),
      ...(src.type !== 'context' ? { files: src.paths.map(baseName) } : {}),
      takenAt: s.takenAt,
    },
    anonymized: false,
    ...(q && t
      ? {
          question: {
            from: q.from,
            to: q.to,
            port: `${t.query.port}${t.query.portName ? ` (${t.query.portName})` : ''}`,
            protocol: t.query.protocol,
          },
        }
      : {}),
    ...(d && t && steps
      ? {
          diagnosis: {
            verdict: d.verdict,
            source: endpoint(t.source),
            destination: endpoint(t.destination),
            ...(d.cause ? { cause: d.cause } : {}),
            headline: d.cause
              ? steps.find((x) => x.id === d.cause)!.summary
              : (t.explanation[0] ?? `${d.verdict}`),
            explanation: [...t.explanation],
            assumptions: [...t.assumptions],
            egress: side(t.egress),
            ingress: side(t.ingress),
            steps,
            partial: d.partial,
          },
        }
      : {}),
    ...(cni ? { cni: cniModel(cni) } : {}),
    policies,
    lint,
    coverage: policyCoverage(s),
    notChecked,
    counts: { namespaces: s.namespaces.length, pods: s.pods.length, policies: policyCount },
  };
}
