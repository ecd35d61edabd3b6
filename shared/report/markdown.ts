import type { ReportFix, ReportModel, ReportStatus } from './types';

const ICON: Record<ReportStatus, string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

/** Escapes text for a Markdown table cell or paragraph. */
function md(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([*_`<>[\]])/g, '\\$1')
    .replace(/\n/g, ' ');
}

function fence(lang: string, body: string): string {
  const ticks = body.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${body.replace(/\n$/, '')}\n${ticks}`;
}

function fixMd(f: ReportFix): string {
  const out = [`  - **Fix:** ${md(f.description)}`, ''];
  if (f.kind === 'command' && f.command) out.push(fence('sh', f.command));
  else if (f.diff)
    out.push(
      fence(
        'diff',
        f.diff
          .split('\n')
          .filter((l) => !/^=+$/.test(l))
          .join('\n'),
      ),
    );
  else if (f.yaml) out.push(fence('yaml', f.yaml));
  return out.join('\n');
}

/** The report as GitHub-flavoured Markdown (tables, fenced diffs and YAML). */
export function renderReportMarkdown(m: ReportModel): string {
  const d = m.diagnosis;
  const o: string[] = [];
  const title = m.question
    ? `${m.question.from} → ${m.question.to} :${m.question.port}/${m.question.protocol}`
    : 'Cluster policy review';
  o.push(`# Netpol Doctor report`, '', `**${md(title)}**`, '');
  o.push('| | |', '|---|---|');
  if (m.source.context) o.push(`| Context | ${md(m.source.context)} |`);
  if (m.source.server) o.push(`| API server | ${md(m.source.server)} |`);
  if (m.source.files?.length) o.push(`| Snapshot files | ${md(m.source.files.join(', '))} |`);
  o.push(
    `| Snapshot taken | ${md(m.source.takenAt)} |`,
    `| Report generated | ${md(m.generatedAt)} |`,
    `| Tool | ${md(`${m.tool.name} ${m.tool.version}`)} |`,
  );
  if (m.cni)
    o.push(
      `| CNI | ${md(`${m.cni.name}${m.cni.version ? ` ${m.cni.version}` : ''}`)} — ${m.cni.enforcesNetworkPolicy === true ? 'enforces NetworkPolicy' : m.cni.enforcesNetworkPolicy === false ? '**does not enforce NetworkPolicy**' : 'enforcement unknown'} |`,
    );
  o.push(
    `| Cluster | ${m.counts.namespaces} namespaces, ${m.counts.pods} pods, ${m.counts.policies} policies |`,
  );
  if (m.anonymized) o.push('| Anonymized | names and IP addresses replaced by consistent pseudonyms |');
  o.push('');
  if (d) {
    o.push(`## Verdict: ${d.verdict === 'allowed' ? '✔ ALLOWED' : '✘ DENIED'}`, '', md(d.headline), '');
    o.push(
      [d.source, d.destination]
        .map(
          (e) =>
            `${md(e.name)}${e.ip && e.ip !== e.name ? ` (${md(e.ip)}${e.node ? ` on ${md(e.node)}` : ''})` : ''}`,
        )
        .join(' → '),
      '',
    );
    if (d.partial) o.push('> **Partial data:** policies you cannot see may change this verdict.', '');
    o.push('## Troubleshooting steps', '');
    d.steps.forEach((s, i) => {
      o.push(
        `### ${i + 1}. ${ICON[s.status]} ${s.title} — ${s.status}`,
        '',
        md(s.status === 'skip' && s.skipReason ? `${s.summary} (${s.skipReason})` : s.summary),
        '',
      );
      if (s.evidence.length) {
        o.push('| Checked | Actual value |', '|---|---|');
        for (const e of s.evidence) {
          const mark = e.state === 'bad' ? '✘ ' : e.state === 'warn' ? '! ' : e.state === 'ok' ? '✔ ' : '';
          let value = md(e.value);
          if (e.highlight) value = value.replace(md(e.highlight), `**${md(e.highlight)}**`);
          o.push(`| ${mark}${md(e.label)} | ${value} |`);
        }
        o.push('');
      }
      for (const f of s.findings) {
        if (s.id === 'verdict' && f.severity === 'info' && !f.fix) continue;
        o.push(`- **${f.severity}:** ${md(f.message)}`);
        if (f.fix) o.push('', fixMd(f.fix), '');
      }
      o.push('');
    });
    o.push('## Explanation', '');
    for (const s of [d.egress, d.ingress])
      o.push(
        `- **${s.direction}:** ${s.applicable ? s.decision : 'n/a'} — ${md(s.reason)}${s.decidedBy.length ? ` (${md(s.decidedBy.join(', '))})` : ''}`,
      );
    for (const l of d.explanation) o.push(`- ${md(l)}`);
    if (d.assumptions.length) o.push('', `_Assumptions:_ ${md(d.assumptions.join(' '))}`);
    o.push('');
  }
  if (m.cni) {
    const c = m.cni;
    o.push(
      '## CNI and health',
      '',
      `${md(c.name)}${c.version ? ` ${md(c.version)}` : ''}; Hubble: ${c.observability.hubble ? 'yes' : 'no'}; Calico flow data: ${c.observability.calico ? 'yes' : 'no'}.`,
      '',
    );
    for (const w of c.warnings) o.push(`> ${md(w)}`, '');
    if (c.components.length) {
      o.push('| Component | Ready | Version |', '|---|---|---|');
      for (const x of c.components)
        o.push(
          `| ${md(`${x.kind} ${x.namespace}/${x.name}`)} | ${x.present ? `${x.ready ?? '?'}/${x.desired ?? '?'}` : 'not present'} | ${md(x.version ?? '')} |`,
        );
      o.push('');
    }
    if (c.nodes.length) {
      o.push('| Node | Agent | Ready |', '|---|---|---|');
      for (const n of c.nodes)
        o.push(
          `| ${md(n.node)} | ${md(n.pod ?? '')} | ${n.ready ? 'yes' : `**no**${n.reason ? ` (${md(n.reason)})` : ''}`} |`,
        );
      o.push('');
    }
  }
  o.push(`## ${m.question ? 'Policies involved' : 'Policies'} (${m.policies.length})`, '');
  for (const p of m.policies)
    o.push(
      `### ${md(`${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`)}`,
      '',
      fence('yaml', p.yaml),
      '',
    );
  o.push(`## Lint findings${m.question ? ' for the namespaces involved' : ''} (${m.lint.length})`, '');
  if (m.lint.length) {
    o.push('| Severity | Object | Rule | Finding |', '|---|---|---|---|');
    for (const l of m.lint) o.push(`| ${l.severity} | ${md(l.object)} | ${md(l.rule)} | ${md(l.message)} |`);
  } else o.push('No lint findings.');
  o.push(
    '',
    '## Policy coverage',
    '',
    '| Namespace | Pods | Isolated for ingress | Isolated for egress | NetworkPolicies |',
    '|---|---|---|---|---|',
  );
  for (const r of m.coverage)
    o.push(
      `| ${md(r.namespace)} | ${r.pods} | ${r.isolatedIngress}/${r.pods} | ${r.isolatedEgress}/${r.pods} | ${r.policies} |`,
    );
  o.push('', '## What could not be checked', '');
  for (const n of m.notChecked) o.push(`- ${md(n)}`);
  o.push(
    '',
    `---`,
    `_Generated by ${md(m.tool.name)} ${md(m.tool.version)} · report schema ${m.schemaVersion} · contains no credentials._`,
    '',
  );
  return o.join('\n');
}
