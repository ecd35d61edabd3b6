import type { Engine } from '../engine/types';
import { diagnose, lintFor } from '../diagnose';
import type { Question } from '../diagnose/types';
import type { Snapshot } from '../snapshot/types';
import { detectCni } from '../cni/detect';
import { Anonymizer } from './anonymize';
import { buildReportModel, serverHost } from './model';
import type { ReportModel } from './types';

export { Anonymizer } from './anonymize';
export { renderReportHtml } from './html';
export { renderReportMarkdown } from './markdown';
export { buildReportModel, policyCoverage, serverHost } from './model';
export * from './types';

export interface CreateReportInput {
  snapshot: Snapshot;
  engine: Engine;
  question?: Question;
  anonymize?: boolean;
  contextName?: string;
  /** API server URL or host (only the host[:port] is kept) */
  server?: string;
  version: string;
  generatedAt?: string;
}

/** Diagnoses the question (if any), lints, and builds the (optionally anonymized) report model. */
export function createReportModel(input: CreateReportInput): ReportModel {
  const { snapshot, engine } = input;
  const lint = lintFor(engine);
  const cni = snapshot.cni ?? detectCni(snapshot);
  const diagnosis = input.question ? diagnose(engine, input.question, { lint, cni }) : undefined;
  const model = buildReportModel({
    snapshot,
    diagnosis,
    lint,
    cni,
    contextName: input.contextName,
    server: input.server,
    version: input.version,
    generatedAt: input.generatedAt,
  });
  if (!input.anonymize) return model;
  const anon = new Anonymizer(snapshot, {
    context: model.source.context,
    server: serverHost(model.source.server),
  });
  return anon.report(model);
}

/** The JSON report (schemas/report.schema.json). */
export function renderReportJson(m: ReportModel): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
