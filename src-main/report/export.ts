import type { Question } from '@shared/diagnose/types';
import type { Engine } from '@shared/engine/types';
import {
  createReportModel,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
  type ExportedReport,
  type ReportFormat,
  type ReportModel,
} from '@shared/report/index';
import type { Snapshot } from '@shared/snapshot/types';
import { APP_VERSION } from '../version';
import { renderPdf } from './pdf';

export interface ExportReportInput {
  snapshot: Snapshot;
  engine: Engine;
  question?: Question;
  format: ReportFormat;
  anonymize?: boolean;
  /** kubeconfig context name (never credentials) */
  contextName?: string;
  /** API server URL; only host[:port] reaches the report */
  server?: string;
  /** for PDF: an explicit Chromium binary */
  chromium?: string;
  /** for tests: a fixed generation time */
  generatedAt?: string;
}

function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

export function reportFileName(m: ReportModel, format: ReportFormat): string {
  const stamp = m.generatedAt.replace(/[:]/g, '').replace(/\..*$/, '');
  const what = m.question ? slug(`${m.question.from}-to-${m.question.to}-${m.question.port}`) : 'cluster';
  return `netpol-doctor-${what}-${stamp}.${format}`;
}

/** Builds and renders a report in one of the four formats (PDF through headless Chromium). */
export async function exportReport(input: ExportReportInput): Promise<ExportedReport> {
  const model = createReportModel({
    snapshot: input.snapshot,
    engine: input.engine,
    question: input.question,
    anonymize: input.anonymize,
    contextName: input.contextName,
    server: input.server,
    version: APP_VERSION,
    generatedAt: input.generatedAt,
  });
  const fileName = reportFileName(model, input.format);
  switch (input.format) {
    case 'html':
      return { fileName, mime: 'text/html', content: renderReportHtml(model), encoding: 'utf8' };
    case 'md':
      return { fileName, mime: 'text/markdown', content: renderReportMarkdown(model), encoding: 'utf8' };
    case 'json':
      return { fileName, mime: 'application/json', content: renderReportJson(model), encoding: 'utf8' };
    case 'pdf': {
      const pdf = await renderPdf(renderReportHtml(model), { chromium: input.chromium });
      return { fileName, mime: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' };
    }
  }
}

export { renderReportHtml };
