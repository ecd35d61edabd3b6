import type { Protocol } from '../k8s/types';
import type { Fix, PolicyRef, TraceResult, Verdict } from '../engine/types';
import type { CniFacts } from '../snapshot/types';

export type StepId = 'labels' | 'namespace' | 'syntax' | 'cni' | 'verdict';
export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Question {
  from: string;
  to: string;
  port: number | string;
  protocol?: Protocol;
}

/**
 * A label selector compared with the actual labels of one object (a pod or a namespace): the data
 * behind "the pod's labels against each selector, with the differing key/value highlighted".
 */
export interface LabelComparison {
  /** kubectl form, e.g. `app=redis-cahce` */
  selector: string;
  target: 'pod' | 'namespace' | 'node';
  /** `ns/pod` for pods, the namespace name for namespaces */
  targetName: string;
  /** the object's actual labels */
  labels: Record<string, string>;
  matched: boolean;
  /** keys whose presence or value made the selector fail (highlight these) */
  differingKeys: string[];
  /** per differing key: what the selector wanted and what the object has */
  differences: { key: string; expected?: string; actual?: string; message: string }[];
}

/** One checked fact: the actual value the step looked at. */
export interface Evidence {
  label: string;
  value: string;
  /** how the UI highlights it */
  state?: 'ok' | 'bad' | 'warn' | 'neutral';
  /** for label comparisons: the differing key/value to highlight (`key` or `key=value`) */
  highlight?: string;
  /** structured label comparison (selector vs the object's labels), when the evidence is one */
  comparison?: LabelComparison;
  /** the policy this evidence is about */
  policy?: PolicyRef;
}

/** A fix offered by a wizard step. `applyFix(snapshot, fix)` applies it to a copy of a snapshot. */
export interface DiagnoseFix extends Fix {
  /** stable id within one diagnosis, e.g. `namespace-label:frontend:name` */
  id: string;
  kind: 'command' | 'patch' | 'new-object';
  /** unified diff of `patch.before` → `patch.after` (for `kind: 'patch'`) */
  diff?: string;
}

export interface StepFinding {
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** machine-readable cause, e.g. `namespace-name-label`, `or-peers`, `missing-dns-egress` */
  code?: string;
  policy?: PolicyRef;
  fix?: DiagnoseFix;
}

export interface DiagnoseStep {
  id: StepId;
  title: string;
  status: StepStatus;
  /** one sentence shown on the collapsed step */
  summary: string;
  skipReason?: string;
  evidence: Evidence[];
  findings: StepFinding[];
}

export interface Diagnosis {
  question: Question;
  verdict: Verdict;
  steps: DiagnoseStep[];
  trace: TraceResult;
  partial: boolean;
  /** every policy the diagnosis looked at (selecting either side, or nearly selecting it) */
  involvedPolicies: PolicyRef[];
  /** CNI facts the CNI step used (snapshot facts, or detected from the snapshot) */
  cni?: CniFacts;
  /** the first failing step, if any (`labels` for a selector typo, `namespace` for the name-label mistake, ...) */
  cause?: StepId;
  /** every fix of every step, in step order (for "copy all" and for the report) */
  fixes: DiagnoseFix[];
}

/** Machine output of `netpol-doctor diagnose --json` (documented in the issue, stable). */
export interface DiagnosisJson {
  verdict: Verdict;
  question: Question;
  cause?: StepId;
  explanation: string[];
  steps: {
    id: Exclude<StepId, 'verdict'>;
    status: StepStatus;
    summary: string;
    findings: {
      message: string;
      severity: StepFinding['severity'];
      fix?: { description: string; command?: string; yaml?: string; diff?: string };
    }[];
  }[];
  trace: TraceResult;
}
