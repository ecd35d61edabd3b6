import type { Protocol } from '../k8s/types';
import type { Fix, TraceResult, Verdict } from '../engine/types';

export type StepId = 'labels' | 'namespace' | 'syntax' | 'cni' | 'verdict';
export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Question {
  from: string;
  to: string;
  port: number | string;
  protocol?: Protocol;
}

/** One checked fact: the actual value the step looked at. */
export interface Evidence {
  label: string;
  value: string;
  /** how the UI highlights it */
  state?: 'ok' | 'bad' | 'warn' | 'neutral';
  /** for label comparisons: the differing key/value to highlight */
  highlight?: string;
}

export interface StepFinding {
  message: string;
  severity: 'error' | 'warning' | 'info';
  fix?: Fix;
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
}
