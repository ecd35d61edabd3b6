import type { PolicyRef, Verdict } from '../engine/types';

export interface CheckResultLine {
  name?: string;
  from: string;
  to: string;
  port: number;
  portName?: string;
  protocol: string;
  expect: Verdict;
  actual: Verdict;
  ok: boolean;
  decidedBy: PolicyRef[];
  reason: string;
}

export interface CheckRun {
  results: CheckResultLine[];
  passed: number;
  failed: number;
  /** bad input: unknown pod, selector matching nothing (exit 2 in the CLI) */
  errors: { entry: number; name?: string; message: string }[];
  seconds: number;
}
