import type { PolicyRef, Verdict } from '../engine/types';

export interface CheckResultLine {
  name?: string;
  /** 0-based index of the expectations entry this line was expanded from */
  entry?: number;
  /** 1-based line of that entry in the expectations file */
  line?: number;
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
  /** expectations file name */
  fileName?: string;
  results: CheckResultLine[];
  passed: number;
  failed: number;
  /** bad input: unknown pod, selector matching nothing (exit 2 in the CLI) */
  errors: { entry: number; name?: string; line?: number; message: string }[];
  seconds: number;
}
