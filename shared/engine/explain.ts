/**
 * Plain sentences for a trace (TraceResult.explanation) and the multi-line text the CLI prints.
 */
import { diffLines } from 'diff';
import type {
  DirectionTrace,
  Fix,
  Mismatch,
  PeerEvaluation,
  PolicyEvaluation,
  PolicyRef,
  RuleEvaluation,
  TraceResult,
} from './types';

export function refText(p: PolicyRef): string {
  return p.namespace ? `${p.namespace}/${p.name}` : `${p.kind}/${p.name}`;
}

/** `NetworkPolicy backend/allow-x`, `AdminNetworkPolicy deny-all` */
export function refLabel(p: PolicyRef): string {
  return p.namespace ? `${p.kind} ${p.namespace}/${p.name}` : `${p.kind} ${p.name}`;
}

function need(m: Mismatch): string {
  const exp = Array.isArray(m.expected) ? m.expected.join(',') : m.expected;
  switch (m.code) {
    case 'namespace-label-missing':
    case 'namespace-label-differs':
      return exp !== undefined ? `namespace label ${m.key}=${exp}` : `namespace label ${m.key}`;
    case 'label-missing':
    case 'label-value-differs':
      return exp !== undefined ? `${m.target} label ${m.key}=${exp}` : `${m.target} label ${m.key}`;
    case 'label-not-in-values':
      return `${m.target} label ${m.key} in (${exp})`;
    case 'label-in-excluded-values':
      return `${m.target} label ${m.key} not in (${exp})`;
    case 'label-must-be-absent':
      return `no ${m.target} label ${m.key}`;
    case 'namespace-differs':
      return `a pod in namespace ${exp}`;
    case 'not-a-pod':
      return m.target === 'node' ? 'a node address' : 'a pod';
    case 'host-network':
      return 'a pod on the pod network';
    case 'ip-outside-cidr':
      return exp ? `an address in ${exp}` : 'a matching address';
    case 'ip-in-except':
      return `an address outside ${exp}`;
    case 'ipblock-skips-pods':
      return 'an address outside the cluster';
    default:
      return m.message;
  }
}

function peerSentence(prefix: string, pe: PeerEvaluation): string {
  const needs = [...new Set(pe.mismatches.map(need))];
  const facts = pe.mismatches.map((m) => m.message);
  return `${prefix} peer ${pe.index + 1} needs ${needs.join(' and ')}; ${facts.join('; ')}.`;
}

function portsText(r: RuleEvaluation): string {
  return r.ports.map((p) => p.description).join(', ');
}

/** Why each rule of the policies isolating a denied side did not admit the flow. */
export function ruleMismatchSentences(d: DirectionTrace, flowText: string, peerName: string): string[] {
  const evs = d.policies.filter(
    (ev) => ev.selectsSubject && ev.appliesToDirection && ev.tier === 'networkpolicy',
  );
  // rules that cover the flow's port are the relevant ones: explain their peers; mention the others briefly
  const portRelevant = evs.some((ev) => ev.rules.some((r) => r.portMatched));
  const out: string[] = [];
  const otherPorts: string[] = [];
  for (const ev of evs) {
    if (ev.rules.length === 0) {
      out.push(
        `${refText(ev.policy)} has no ${d.direction} rules: it only isolates the pod (deny all ${d.direction} not allowed elsewhere).`,
      );
      continue;
    }
    for (const r of ev.rules) {
      if (r.matched) continue;
      if (portRelevant && !r.portMatched && !r.peerMatched) {
        otherPorts.push(
          `${refText(ev.policy)}${ev.rules.length > 1 ? ` ${d.direction}[${r.index}]` : ''} (${portsText(r)})`,
        );
        continue;
      }
      out.push(...ruleSentences(ev, r, d, flowText, peerName));
    }
  }
  if (otherPorts.length)
    out.push(`Rules for other ports do not apply to ${flowText}: ${otherPorts.join(', ')}.`);
  return out;
}

function ruleSentences(
  ev: PolicyEvaluation,
  r: RuleEvaluation,
  d: DirectionTrace,
  flowText: string,
  peerName: string,
): string[] {
  const name = refText(ev.policy);
  const out: string[] = [];
  const prefix = ev.rules.length > 1 ? `${name}'s ${d.direction} rule ${r.index + 1}'s` : `${name}'s`;
  if (!r.peerMatched) {
    for (const pe of r.peers) if (!pe.matched) out.push(peerSentence(prefix, pe));
    if (!r.portMatched && !r.anyPort)
      out.push(`${prefix} ports (${portsText(r)}) do not include ${flowText} either.`);
  } else if (!r.portMatched) {
    const who = ev.rules.length > 1 ? `${name}'s ${d.direction} rule ${r.index + 1}` : name;
    const named = r.ports.find(
      (p) =>
        p.mismatch?.code === 'named-port-missing' ||
        (p.mismatch?.code === 'port-differs' && p.mismatch.targetName),
    );
    out.push(
      r.anyPort
        ? `${who} admits ${peerName}, but the flow's port could not be resolved.`
        : `${who} admits ${peerName} but only on ${portsText(r)}; the flow is ${flowText}${named?.mismatch ? ` (${named.mismatch.message})` : ''}.`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- text rendering

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

function fixLines(fix: Fix, indent: string): string[] {
  const out = [`${indent}Fix: ${fix.description}`];
  if (fix.command) out.push(`${indent}  $ ${fix.command}`);
  if (fix.patch) {
    out.push(
      `${indent}  patch ${fix.patch.object.kind} ${fix.patch.object.namespace ? `${fix.patch.object.namespace}/` : ''}${fix.patch.object.name}:`,
    );
    for (const part of diffLines(fix.patch.before, fix.patch.after)) {
      if (!part.added && !part.removed) continue;
      const sign = part.added ? '+' : '-';
      for (const line of part.value.replace(/\n$/, '').split('\n')) out.push(`${indent}    ${sign} ${line}`);
    }
  } else if (fix.yaml) {
    out.push(`${indent}  new object:`);
    for (const line of fix.yaml.replace(/\n$/, '').split('\n')) out.push(`${indent}    ${line}`);
  }
  return out;
}

function directionLines(d: DirectionTrace): string[] {
  const title = d.direction === 'egress' ? 'Egress ' : 'Ingress';
  const out = [`${title}  ${d.decision.toUpperCase()}  (${d.tier}) ${d.reason}`];
  if (d.isolated) out.push(`         isolated by ${d.isolatedBy.map(refText).join(', ')}`);
  for (const ev of d.policies) {
    const pr = ev.priority !== undefined ? ` priority ${ev.priority}` : '';
    const sel = ev.selectsSubject
      ? ''
      : '  [does NOT select the pod: ' +
        ev.subject.flatMap((s) => s.mismatches.map((m) => m.message)).join('; ') +
        ']';
    out.push(`  ${refLabel(ev.policy)}${pr}${sel}`);
    if (ev.appliesToDirection && ev.rules.length === 0) out.push(`    (no ${d.direction} rules)`);
    for (const r of ev.rules) {
      const nm = r.name ? ` "${r.name}"` : '';
      out.push(`    ${mark(r.matched)} ${d.direction}[${r.index}]${nm} ${r.action}`);
      if (r.anyPeer) out.push(`        peers: any`);
      for (const pe of r.peers) {
        out.push(
          `        ${mark(pe.matched)} peer ${pe.index + 1}: ${pe.description}${pe.matched ? '' : ` — ${pe.mismatches.map((m) => m.message).join('; ')}`}`,
        );
      }
      if (r.anyPort) out.push(`        ports: any`);
      for (const pt of r.ports)
        out.push(
          `        ${mark(pt.matched)} port ${pt.description}${pt.mismatch ? ` — ${pt.mismatch.message}` : ''}`,
        );
    }
  }
  if (d.ambiguity) {
    out.push(
      `  AMBIGUOUS at priority ${d.ambiguity.priority}: ${d.ambiguity.candidates.map((c) => `${c.policy.name} ${c.direction}[${c.index}] ${c.action}`).join(' vs ')}`,
    );
  }
  for (const n of d.notes) out.push(`  note: ${n}`);
  return out;
}

/** Multi-line human output for the CLI. */
export function renderTraceText(t: TraceResult): string {
  const q = t.query;
  const port = q.portName ? `${q.portName} (${q.port || '?'})/${q.protocol}` : `${q.port}/${q.protocol}`;
  const lines: string[] = [];
  lines.push(`${t.verdict.toUpperCase()}  ${q.from} → ${q.to}  ${port}`);
  if (t.decidedBy.length) lines.push(`decided by ${t.decidedBy.map(refLabel).join(', ')}`);
  lines.push('');
  lines.push(...directionLines(t.egress));
  lines.push('');
  lines.push(...directionLines(t.ingress));
  lines.push('');
  lines.push('Why:');
  for (const s of t.explanation) lines.push(`  - ${s}`);
  if (t.nearMisses.length) {
    lines.push('');
    lines.push('Near misses:');
    for (const n of t.nearMisses) {
      lines.push(`  - ${n.message}`);
      if (n.fix) lines.push(...fixLines(n.fix, '    '));
    }
  }
  if (t.suggestedFixes?.length) {
    lines.push('');
    lines.push('Suggested fixes:');
    for (const f of t.suggestedFixes) lines.push(...fixLines(f, '  '));
  }
  if (t.assumptions.length) {
    lines.push('');
    lines.push('Assumptions:');
    for (const a of t.assumptions) lines.push(`  - ${a}`);
  }
  if (t.partial)
    lines.push(
      '',
      'The snapshot is partial: some objects could not be read, so this verdict may be incomplete.',
    );
  return lines.join('\n') + '\n';
}
