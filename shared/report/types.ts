export type ReportFormat = 'html' | 'md' | 'json' | 'pdf';

export interface ReportOptions {
  format: ReportFormat;
  anonymize?: boolean;
}

export interface ExportedReport {
  fileName: string;
  mime: string;
  /** utf-8 text, or base64 for pdf */
  content: string;
  encoding: 'utf8' | 'base64';
}
