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

/** Version of the JSON report (schemas/report.schema.json). Bump the major on breaking changes. */
export const REPORT_SCHEMA_VERSION = '1.0';

export type ReportStatus = 'pass' | 'fail' | 'warn' | 'skip';
export type ReportSeverity = 'error' | 'warning' | 'info';

export interface ReportFix {
  description: string;
  kind: 'command' | 'patch' | 'new-object';
  command?: string;
  yaml?: string;
  /** unified diff for patches */
  diff?: string;
}

export interface ReportEvidence {
  label: string;
  value: string;
  state: 'ok' | 'bad' | 'warn' | 'neutral';
  highlight?: string;
  /** selector vs labels, when the evidence is a label comparison */
  comparison?: {
    selector: string;
    target: string;
    targetName: string;
    labels: Record<string, string>;
    matched: boolean;
    differingKeys: string[];
  };
}

export interface ReportFinding {
  message: string;
  severity: ReportSeverity;
  code?: string;
  fix?: ReportFix;
}

export interface ReportStep {
  id: 'labels' | 'namespace' | 'syntax' | 'cni' | 'verdict';
  title: string;
  status: ReportStatus;
  summary: string;
  skipReason?: string;
  evidence: ReportEvidence[];
  findings: ReportFinding[];
}

export interface ReportSide {
  direction: 'egress' | 'ingress';
  applicable: boolean;
  decision: 'allow' | 'deny';
  reason: string;
  decidedBy: string[];
  isolatedBy: string[];
}

export interface ReportEndpoint {
  /** `ns/pod` or the address */
  name: string;
  kind: 'pod' | 'external';
  ip?: string;
  node?: string;
  labels?: Record<string, string>;
}

export interface ReportDiagnosis {
  verdict: 'allowed' | 'denied';
  source: ReportEndpoint;
  destination: ReportEndpoint;
  /** first failing step */
  cause?: ReportStep['id'];
  headline: string;
  explanation: string[];
  assumptions: string[];
  egress: ReportSide;
  ingress: ReportSide;
  steps: ReportStep[];
  partial: boolean;
}

export interface ReportCni {
  name: string;
  version?: string;
  enforcesNetworkPolicy: boolean | 'unknown';
  evidence: string[];
  warnings: string[];
  components: {
    kind: string;
    namespace: string;
    name: string;
    present: boolean;
    ready?: number;
    desired?: number;
    version?: string;
  }[];
  nodes: { node: string; pod?: string; ready: boolean; reason?: string }[];
  observability: { hubble: boolean; calico: boolean };
}

export interface ReportLintFinding {
  rule: string;
  severity: ReportSeverity;
  /** `Kind ns/name` */
  object: string;
  namespace?: string;
  message: string;
}

export interface ReportCoverageRow {
  namespace: string;
  pods: number;
  isolatedIngress: number;
  isolatedEgress: number;
  policies: number;
}

/** Everything a report shows, independent of the output format. Never holds credentials. */
export interface ReportModel {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'NetpolDoctorReport';
  generatedAt: string;
  tool: { name: string; version: string };
  source: {
    type: 'files' | 'context' | 'demo';
    /** kubeconfig context name (live) */
    context?: string;
    /** API server host[:port] — never a URL with credentials */
    server?: string;
    /** snapshot file names (base names) */
    files?: string[];
    takenAt: string;
  };
  anonymized: boolean;
  question?: { from: string; to: string; port: string; protocol: string };
  diagnosis?: ReportDiagnosis;
  cni?: ReportCni;
  /** YAML of the policies involved (or of every policy, without a question), server fields removed */
  policies: { kind: string; namespace?: string; name: string; yaml: string }[];
  lint: ReportLintFinding[];
  coverage: ReportCoverageRow[];
  /** what could not be checked, one sentence each */
  notChecked: string[];
  counts: { namespaces: number; pods: number; policies: number };
}
