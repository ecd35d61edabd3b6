import { matchesSelector } from '../engine/selector';
import {
  EndpointError,
  type EndpointInfo,
  type MatrixQuery,
  type MatrixResult,
  type PolicyRef,
  type TraceQuery,
  type TraceResult,
  type Verdict,
} from '../engine/types';
import type { LabelSelector, Pod } from '../k8s/types';
import type { Snapshot } from '../snapshot/types';
import type { Expectations, PortSpec } from './parse';
import type { CheckResultLine, CheckRun } from './types';

/** What the check needs from the engine (shared/engine's Engine satisfies it). */
export interface CheckEngine {
  readonly snapshot: Snapshot;
  resolveEndpoint(spec: string): EndpointInfo;
  trace(q: TraceQuery): TraceResult;
  matrix?(q: MatrixQuery): MatrixResult;
}

interface Expanded {
  /** what trace takes: `ns/pod` or an address */
  spec: string;
  /** set for pods: `ns/name` */
  pod?: string;
  fromSelector: boolean;
}

/** `app=web,tier!=db,!legacy,env in (a,b),env notin (x)` → LabelSelector; undefined when it is not a selector. */
export function parseSelectorText(text: string): LabelSelector | undefined {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  terms.push(cur.trim());
  const sel: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const t of terms) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s=!()]+)\s*!=\s*(\S*)$/.exec(t)))
      sel.matchExpressions.push({ key: m[1], operator: 'NotIn', values: [m[2]] });
    else if ((m = /^([^\s=!()]+)\s*==?\s*(\S*)$/.exec(t))) sel.matchLabels[m[1]] = m[2];
    else if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(t)))
      sel.matchExpressions.push({
        key: m[1],
        operator: m[2] === 'in' ? 'In' : 'NotIn',
        values: m[3]
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      });
    else if ((m = /^!\s*([^\s=!()]+)$/.exec(t)))
      sel.matchExpressions.push({ key: m[1], operator: 'DoesNotExist' });
    else return undefined;
  }
  return sel;
}

function isSelectorPart(s: string): boolean {
  return s === '*' || /[=!]|\s(not)?in\s*\(/.test(s);
}

function formatRef(r: PolicyRef): string {
  return `${r.kind === 'NetworkPolicy' ? '' : `${r.kind} `}${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** The engine's one-sentence reason: the denying side's reason, or the allowing sides. */
export function oneSentenceReason(t: TraceResult): string {
  const sides = [t.egress, t.ingress].filter((d) => d.applicable);
  const deny = sides.find((d) => d.decision === 'deny');
  if (deny) {
    // the nearest miss on the denying side is what a user acts on ("selects name: frontend, ...")
    const hint = t.nearMisses.find((n) => !n.direction || n.direction === deny.direction);
    return hint ? `${deny.reason} ${hint.message}` : deny.reason;
  }
  // allowed: the sides where a policy applied (a rule matched, or an exemption beat isolation)
  const mattered = sides.filter((d) => d.decidedBy.length || d.isolated);
  if (mattered.length) return mattered.map((d) => d.reason).join(' ');
  return `${t.explanation[0] ?? 'Allowed.'} No policy isolates either side.`;
}

class Expander {
  private readonly cache = new Map<string, Expanded[] | string>();
  private readonly pods: Pod[];
  constructor(private readonly engine: CheckEngine) {
    this.pods = engine.snapshot.pods.filter((p) => !!p.status?.podIP);
  }

  expand(spec: string): Expanded[] | string {
    let hit = this.cache.get(spec);
    if (hit === undefined) {
      hit = this.compute(spec);
      this.cache.set(spec, hit);
    }
    return hit;
  }

  private compute(spec: string): Expanded[] | string {
    const slash = spec.indexOf('/');
    const nsPart = slash >= 0 ? spec.slice(0, slash) : undefined;
    const rest = slash >= 0 ? spec.slice(slash + 1) : spec;
    const selectorLike =
      spec === '*' ||
      (nsPart !== undefined && (nsPart === '*' || isSelectorPart(rest)) && !/^[\d.:]+\/\d+$/.test(spec));
    if (selectorLike) {
      const ns = nsPart === undefined || nsPart === '*' ? undefined : nsPart;
      const selText = spec === '*' || rest === '*' ? '' : rest;
      const sel = selText ? parseSelectorText(selText) : {};
      if (!sel)
        return `cannot read the label selector "${selText}" (use key=value, key!=value, key in (a,b), !key)`;
      if (
        ns &&
        !this.engine.snapshot.namespaces.some((n) => n.metadata.name === ns) &&
        !this.pods.some((p) => p.metadata.namespace === ns)
      )
        return `namespace "${ns}" is not in the snapshot`;
      const out = this.pods
        .filter((p) => (!ns || p.metadata.namespace === ns) && matchesSelector(sel, p.metadata.labels))
        .map((p) => {
          const name = `${p.metadata.namespace}/${p.metadata.name}`;
          return { spec: name, pod: name, fromSelector: true };
        });
      if (!out.length) return `"${spec}" matches no pod with an IP`;
      return out;
    }
    try {
      const info = this.engine.resolveEndpoint(spec);
      if (info.kind === 'pod') {
        const name = `${info.namespace}/${info.name}`;
        return [{ spec: name, pod: name, fromSelector: false }];
      }
      return [{ spec: info.ip, fromSelector: false }];
    } catch (e) {
      if (e instanceof EndpointError)
        return e.suggestions.length
          ? `${e.message} (did you mean ${e.suggestions.slice(0, 3).join(', ')}?)`
          : e.message;
      throw e;
    }
  }
}

/**
 * Evaluates every expanded expectation with one engine. Selectors are expanded once per distinct
 * text; pod-to-pod verdicts come from the engine's matrix (equivalence classes, one per port), and
 * traces (for the reason and the deciding policies) are shared between pairs of the same classes.
 * Entries that name an unknown pod or a selector matching nothing become errors, never passes.
 */
export interface RunCheckOptions {
  /**
   * `failures` (default): the reason and deciding policies are computed for failed lines only (passing
   * lines say "as expected"); `all`: for every line (passing lines share a trace per pair of
   * equivalence classes). Traces explain, the matrix decides: `failures` is the fast mode.
   */
  details?: 'failures' | 'all';
  /** at most this many exact traces for failed lines (default 200); later failures get a short reason */
  maxFailureTraces?: number;
}

export function runCheck(
  engine: CheckEngine,
  expectations: Expectations,
  options: RunCheckOptions = {},
): CheckRun {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const details = options.details ?? 'failures';
  const maxFailureTraces = options.maxFailureTraces ?? 200;
  const expander = new Expander(engine);
  const results: CheckResultLine[] = [];
  const errors: CheckRun['errors'] = [];
  const matrices = new Map<string, { m: MatrixResult; index: Map<string, number> } | null>();
  const traceCache = new Map<string, TraceResult>();
  let failureTraces = 0;

  const matrixFor = (p: PortSpec) => {
    const key = `${p.port}/${p.protocol}`;
    let entry = matrices.get(key);
    if (entry === undefined) {
      entry = null;
      if (engine.matrix) {
        try {
          const m = engine.matrix({ port: p.port, protocol: p.protocol });
          entry = { m, index: new Map(m.pods.map((name, i) => [name, i])) };
        } catch {
          entry = null;
        }
      }
      matrices.set(key, entry);
    }
    return entry;
  };

  const traceOf = (src: Expanded, dst: Expanded, p: PortSpec, key: string): TraceResult => {
    let t = traceCache.get(key);
    if (!t) {
      t = engine.trace({ from: src.spec, to: dst.spec, port: p.port, protocol: p.protocol });
      traceCache.set(key, t);
    }
    return t;
  };

  for (const entry of expectations.entries) {
    const froms: Expanded[] = [];
    const tos: Expanded[] = [];
    const problems: string[] = [];
    for (const f of entry.from) {
      const x = expander.expand(f);
      if (typeof x === 'string') problems.push(`from ${f}: ${x}`);
      else froms.push(...x);
    }
    for (const f of entry.to) {
      const x = expander.expand(f);
      if (typeof x === 'string') problems.push(`to ${f}: ${x}`);
      else tos.push(...x);
    }
    if (problems.length) {
      for (const message of problems)
        errors.push({ entry: entry.index, name: entry.name, line: entry.line, message });
      continue;
    }
    let pairs = 0;
    for (const p of entry.ports) {
      const mx = matrixFor(p);
      for (const src of froms) {
        for (const dst of tos) {
          if (src.pod && src.pod === dst.pod && (src.fromSelector || dst.fromSelector)) continue;
          pairs++;
          const exactKey = `${src.spec}|${dst.spec}|${p.port}/${p.protocol}`;
          let actual: Verdict | undefined;
          let classKey: string | undefined;
          let port: number | undefined;
          let portName: string | undefined;
          if (mx && src.pod && dst.pod) {
            const si = mx.index.get(src.pod);
            const di = mx.index.get(dst.pod);
            if (si !== undefined && di !== undefined) {
              actual = mx.m.allowed(si, di) ? 'allowed' : 'denied';
              classKey = `c${mx.m.classOf[si]}|${mx.m.classOf[di]}|${p.port}/${p.protocol}`;
              if (typeof p.port === 'number') port = p.port;
            }
          }
          const failed = actual !== undefined && actual !== entry.expect;
          let t: TraceResult | undefined;
          let exact = false;
          try {
            if (actual === undefined) {
              // not in the matrix (external address, host-network pod): the trace decides
              t = traceOf(src, dst, p, exactKey);
              exact = true;
            } else if (failed && failureTraces < maxFailureTraces) {
              failureTraces++;
              t = traceOf(src, dst, p, exactKey);
              exact = true;
            } else if (!failed && details === 'all') {
              t = traceOf(src, dst, p, classKey!);
            } else if (port === undefined) {
              // a named port: resolve it (per destination pod) through the class's trace
              t = traceOf(src, dst, p, classKey!);
            }
          } catch (e) {
            if (e instanceof EndpointError) {
              errors.push({
                entry: entry.index,
                name: entry.name,
                line: entry.line,
                message: `${src.spec} → ${dst.spec} :${p.port}/${p.protocol}: ${e.message}`,
              });
              continue;
            }
            throw e;
          }
          if (t && exact) actual = t.verdict;
          if (t && port === undefined) {
            port = t.query.port;
            portName = t.query.portName;
          }
          actual ??= t!.verdict;
          const ok = actual === entry.expect;
          let reason: string;
          let decidedBy: PolicyRef[] = [];
          if (t && (exact || details === 'all' || !ok)) {
            reason = exact ? oneSentenceReason(t) : classReason(t);
            decidedBy = t.decidedBy;
          } else if (ok) reason = `${actual}, as expected`;
          else
            reason = `${actual}, not ${entry.expect} (reason not traced: more than ${maxFailureTraces} failures; run "netpol-doctor diagnose" on this pair)`;
          results.push({
            name: entry.name,
            entry: entry.index,
            line: entry.line,
            from: src.spec,
            to: dst.spec,
            port: port ?? 0,
            ...(portName ? { portName } : {}),
            protocol: p.protocol,
            expect: entry.expect,
            actual,
            ok,
            decidedBy,
            reason,
          });
        }
      }
    }
    if (pairs === 0)
      errors.push({
        entry: entry.index,
        name: entry.name,
        line: entry.line,
        message: 'the entry expands to no connection (only a pod to itself)',
      });
  }
  const passed = results.filter((r) => r.ok).length;
  const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  return {
    fileName: expectations.fileName,
    results,
    passed,
    failed: results.length - passed,
    errors,
    seconds: (t1 - t0) / 1000,
  };
}

/** A reason that holds for every pair of the same equivalence classes (names policies, not pods). */
function classReason(t: TraceResult): string {
  const sides = [t.egress, t.ingress].filter((d) => d.applicable);
  const deny = sides.find((d) => d.decision === 'deny');
  if (deny) {
    return deny.decidedBy.length
      ? `${deny.direction} denied by ${deny.decidedBy.map((r) => `${formatRef(r.policy)} ${r.direction} rule ${r.index + 1}`).join(', ')}`
      : `${deny.direction} isolated by ${deny.isolatedBy.map(formatRef).join(', ')} and no rule allows it`;
  }
  const parts = sides.map((d) =>
    d.decidedBy.length
      ? `${d.direction} allowed by ${d.decidedBy.map((r) => `${formatRef(r.policy)} ${r.direction} rule ${r.index + 1}`).join(', ')}`
      : `${d.direction} not isolated`,
  );
  return parts.join('; ') || 'no policy applies';
}

export { formatRef as formatPolicyRefText };
