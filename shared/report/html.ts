import type {
  ReportEvidence,
  ReportFinding,
  ReportFix,
  ReportModel,
  ReportStatus,
  ReportStep,
} from './types';

export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUS_LABEL: Record<ReportStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warning',
  skip: 'Skipped',
};
const STATUS_ICON: Record<ReportStatus, string> = { pass: '✔', fail: '✘', warn: '!', skip: '–' };

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#5b6573;--border:#dde1e7;--code:#f2f4f7;
--ok:#1a7f37;--ok-bg:#e6f4ea;--bad:#c62828;--bad-bg:#fdecea;--warn:#9a6700;--warn-bg:#fff5d6;--skip:#6e7781;--skip-bg:#eef0f2;
--accent:#2f5bd3;--mark:#ffe08a;--add:#e6ffec;--del:#ffebe9;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--card:#171b22;--fg:#e6e9ee;--muted:#9aa4b2;--border:#2a313c;--code:#11151b;
--ok:#4cc36b;--ok-bg:#13301d;--bad:#ff6b61;--bad-bg:#3a1614;--warn:#e3b341;--warn-bg:#352a0b;--skip:#8b949e;--skip-bg:#22272e;
--accent:#7aa2ff;--mark:#6b5400;--add:#12361f;--del:#3d1717}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--border)}
h3{font-size:15px;margin:0}
.sub{color:var(--muted);margin:0 0 16px}
.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px 24px;background:var(--card);border:1px solid var(--border);border-radius:10px;padding:14px 18px;margin:16px 0}
.meta dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.meta dd{margin:0 0 4px;font-weight:500;word-break:break-word}
.card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:16px 18px;margin:12px 0}
.verdict{display:flex;gap:16px;align-items:flex-start;border-left:6px solid var(--border)}
.verdict.allowed{border-left-color:var(--ok)}.verdict.denied{border-left-color:var(--bad)}
.badge{display:inline-block;border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600;white-space:nowrap}
.b-pass,.b-allowed,.b-ok{background:var(--ok-bg);color:var(--ok)}.b-fail,.b-denied,.b-bad,.b-error{background:var(--bad-bg);color:var(--bad)}
.b-warn,.b-warning{background:var(--warn-bg);color:var(--warn)}.b-skip,.b-neutral,.b-info{background:var(--skip-bg);color:var(--skip)}
.big{font-size:18px;padding:4px 14px}
.step-head{display:flex;gap:12px;align-items:center}
.icon{width:28px;height:28px;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;font-weight:700;flex:none}
.i-pass{background:var(--ok-bg);color:var(--ok)}.i-fail{background:var(--bad-bg);color:var(--bad)}.i-warn{background:var(--warn-bg);color:var(--warn)}.i-skip{background:var(--skip-bg);color:var(--skip)}
.summary{margin:8px 0 0 40px}
table{width:100%;border-collapse:collapse;margin:10px 0;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--border)}th{color:var(--muted);font-weight:600;font-size:12px}
td.k{width:34%;color:var(--muted)}
tr.s-bad td{background:var(--bad-bg)}tr.s-warn td{background:var(--warn-bg)}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;vertical-align:middle}
.d-ok{background:var(--ok)}.d-bad{background:var(--bad)}.d-warn{background:var(--warn)}.d-neutral{background:var(--skip)}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 2px}
.chip{display:inline-block;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);border:1px solid var(--border);border-radius:4px;padding:0 5px;margin:1px 3px 1px 0}
.chip.hl{background:var(--mark);border-color:var(--warn)}.chip.miss{border-style:dashed;color:var(--bad)}
code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 4px;border-radius:4px}
pre{background:var(--code);border:1px solid var(--border);border-radius:8px;padding:10px 12px;overflow:auto;white-space:pre-wrap;word-break:break-word;margin:8px 0}
pre.diff span{display:block}pre .add{background:var(--add)}pre .del{background:var(--del)}pre .hunk{color:var(--accent)}
.finding{margin:10px 0;padding:10px 12px;border-radius:8px;border:1px solid var(--border)}
.finding.error{border-color:var(--bad);background:var(--bad-bg)}.finding.warning{border-color:var(--warn);background:var(--warn-bg)}
.fix{margin-top:8px}.fix-title{font-weight:600}
details{margin:8px 0}summary{cursor:pointer;color:var(--accent)}
ul.plain{margin:6px 0;padding-left:20px}
.muted{color:var(--muted)}
footer{margin-top:40px;color:var(--muted);font-size:12px;text-align:center}
@media print{body{background:#fff;color:#000;font-size:11pt}main{max-width:none;padding:0}
.meta,.finding,.verdict,tr,.step-head{break-inside:avoid}.card.step,.card{break-inside:auto}pre{white-space:pre-wrap}.step-head{break-after:avoid}
details{display:block}details>summary{display:none}details>*{display:block}
h2{break-after:avoid}a{color:inherit;text-decoration:none}}
@page{margin:16mm 14mm}
`;

function badge(cls: string, text: string, big = false): string {
  return `<span class="badge b-${esc(cls)}${big ? ' big' : ''}">${esc(text)}</span>`;
}

function highlightText(value: string, hl: string | undefined): string {
  if (!hl) return esc(value);
  const i = value.indexOf(hl);
  if (i < 0) return esc(value);
  return `${esc(value.slice(0, i))}<mark>${esc(hl)}</mark>${esc(value.slice(i + hl.length))}`;
}

function comparisonHtml(e: ReportEvidence): string {
  const c = e.comparison!;
  const chips = Object.entries(c.labels).map(
    ([k, v]) => `<span class="chip${c.differingKeys.includes(k) ? ' hl' : ''}">${esc(k)}=${esc(v)}</span>`,
  );
  const missing = c.differingKeys
    .filter((k) => !(k in c.labels))
    .map((k) => `<span class="chip miss" title="missing">${esc(k)} (missing)</span>`);
  return `<div><code>${esc(c.selector)}</code> ${c.matched ? badge('ok', 'matches') : badge('bad', 'does not match')} ${esc(c.target)} <b>${esc(c.targetName)}</b></div><div>${[...chips, ...missing].join('') || '<span class="muted">(no labels)</span>'}</div>`;
}

function evidenceTable(ev: ReportEvidence[]): string {
  if (!ev.length) return '';
  const rows = ev
    .map(
      (e) =>
        `<tr class="s-${esc(e.state)}"><td class="k"><span class="dot d-${esc(e.state)}"></span>${esc(e.label)}</td><td>${e.comparison ? comparisonHtml(e) : highlightText(e.value, e.highlight)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Checked</th><th>Actual value</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function diffHtml(diff: string): string {
  const lines = diff
    .replace(/\n$/, '')
    .split('\n')
    .filter((l) => !/^=+$/.test(l));
  const cls = (l: string) =>
    l.startsWith('+++') || l.startsWith('---')
      ? 'muted'
      : l.startsWith('@@')
        ? 'hunk'
        : l.startsWith('+')
          ? 'add'
          : l.startsWith('-')
            ? 'del'
            : 'ctx';
  return `<pre class="diff">${lines.map((l) => `<span class="${cls(l)}">${esc(l) || ' '}</span>`).join('')}</pre>`;
}

function fixHtml(f: ReportFix): string {
  let body = '';
  if (f.kind === 'command' && f.command) body = `<pre>$ ${esc(f.command)}</pre>`;
  else if (f.diff)
    body = `${diffHtml(f.diff)}${f.yaml ? `<details><summary>Full YAML after the change</summary><pre>${esc(f.yaml)}</pre></details>` : ''}`;
  else if (f.yaml) body = `<pre>${esc(f.yaml)}</pre>`;
  return `<div class="fix"><div class="fix-title">Fix: ${esc(f.description)}</div>${body}</div>`;
}

function findingHtml(f: ReportFinding): string {
  return `<div class="finding ${esc(f.severity)}">${badge(f.severity, f.severity)} ${esc(f.message)}${f.fix ? fixHtml(f.fix) : ''}</div>`;
}

function stepHtml(s: ReportStep, n: number): string {
  const findings = s.findings.filter((f) => s.id !== 'verdict' || f.fix || f.severity !== 'info');
  return `<section class="card step" id="step-${esc(s.id)}">
<div class="step-head"><span class="icon i-${esc(s.status)}">${STATUS_ICON[s.status]}</span><h3>${n}. ${esc(s.title)}</h3>${badge(s.status, STATUS_LABEL[s.status])}</div>
<p class="summary">${esc(s.status === 'skip' && s.skipReason ? `${s.summary} (${s.skipReason})` : s.summary)}</p>
${evidenceTable(s.evidence)}
${findings.map(findingHtml).join('\n')}
</section>`;
}

/** ONE self-contained HTML file: inline CSS, no scripts, no external resources; light/dark and print. */
export function renderReportHtml(m: ReportModel): string {
  const d = m.diagnosis;
  const title = m.question
    ? `${m.question.from} → ${m.question.to} :${m.question.port}/${m.question.protocol}`
    : 'Cluster policy review';
  const meta: [string, string][] = [];
  if (m.source.context) meta.push(['Context', m.source.context]);
  if (m.source.server) meta.push(['API server', m.source.server]);
  if (m.source.files?.length) meta.push(['Snapshot files', m.source.files.join(', ')]);
  meta.push(['Snapshot taken', m.source.takenAt]);
  meta.push(['Report generated', m.generatedAt]);
  meta.push(['Tool', `${m.tool.name} ${m.tool.version}`]);
  if (m.cni)
    meta.push([
      'CNI',
      `${m.cni.name}${m.cni.version ? ` ${m.cni.version}` : ''} — ${m.cni.enforcesNetworkPolicy === true ? 'enforces NetworkPolicy' : m.cni.enforcesNetworkPolicy === false ? 'does NOT enforce NetworkPolicy' : 'enforcement unknown'}`,
    ]);
  meta.push([
    'Cluster',
    `${m.counts.namespaces} namespaces, ${m.counts.pods} pods, ${m.counts.policies} policies`,
  ]);
  if (m.anonymized) meta.push(['Anonymized', 'names and IP addresses replaced by consistent pseudonyms']);

  const parts: string[] = [];
  parts.push(`<header><h1>Netpol Doctor report</h1><p class="sub">${esc(title)}</p></header>`);
  parts.push(
    `<dl class="meta">${meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`,
  );

  if (d) {
    const fixes = d.steps.flatMap((s) => s.findings.filter((f) => f.fix && f.severity === 'error'));
    parts.push(`<section class="card verdict ${esc(d.verdict)}"><div>${badge(d.verdict, d.verdict === 'allowed' ? 'ALLOWED' : 'DENIED', true)}</div><div>
<p style="margin:0 0 6px;font-weight:600">${esc(d.headline)}</p>
<p class="muted" style="margin:0 0 6px">${[d.source, d.destination].map((e) => `${esc(e.name)}${e.ip && e.ip !== e.name ? ` (${esc(e.ip)}${e.node ? ` on ${esc(e.node)}` : ''})` : ''}`).join(' → ')}</p>
${d.cause ? `<p class="muted" style="margin:0">Cause found in step: <a href="#step-${esc(d.cause)}">${esc(d.steps.find((s) => s.id === d.cause)?.title ?? d.cause)}</a>${fixes.length ? ` — ${fixes.length} fix${fixes.length === 1 ? '' : 'es'} below` : ''}</p>` : ''}
${d.partial ? `<p>${badge('warn', 'partial data')} The snapshot is partial: policies you cannot see may change this verdict.</p>` : ''}
</div></section>`);
    parts.push('<h2>Troubleshooting steps</h2>');
    d.steps.forEach((s, i) => parts.push(stepHtml(s, i + 1)));
    parts.push('<h2>Verdict and explanation</h2>');
    parts.push(`<section class="card"><table><thead><tr><th>Side</th><th>Decision</th><th>Deciding rule / reason</th></tr></thead><tbody>
${[d.egress, d.ingress]
  .map(
    (s) =>
      `<tr><td class="k">${s.direction === 'egress' ? 'Egress (source)' : 'Ingress (destination)'}</td><td>${s.applicable ? badge(s.decision === 'allow' ? 'ok' : 'bad', s.decision) : badge('neutral', 'n/a')}</td><td>${s.decidedBy.length ? `<div>${s.decidedBy.map(esc).join('<br>')}</div>` : ''}${esc(s.reason)}</td></tr>`,
  )
  .join('')}</tbody></table>
<ul class="plain">${d.explanation.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
${d.assumptions.length ? `<p class="muted">Assumptions: ${d.assumptions.map(esc).join(' ')}</p>` : ''}</section>`);
  }

  if (m.cni) {
    const c = m.cni;
    parts.push('<h2>CNI and health</h2>');
    parts.push(`<section class="card"><p><b>${esc(c.name)}${c.version ? ` ${esc(c.version)}` : ''}</b> — ${c.enforcesNetworkPolicy === true ? badge('ok', 'enforces NetworkPolicy') : c.enforcesNetworkPolicy === false ? badge('bad', 'does not enforce NetworkPolicy') : badge('warn', 'enforcement unknown')}
${badge(c.observability.hubble ? 'ok' : 'neutral', `Hubble ${c.observability.hubble ? 'available' : 'not detected'}`)} ${badge(c.observability.calico ? 'ok' : 'neutral', `Calico flow data ${c.observability.calico ? 'available' : 'not detected'}`)}</p>
${c.warnings.map((w) => `<div class="finding warning">${esc(w)}</div>`).join('')}
${c.components.length ? `<table><thead><tr><th>Component</th><th>Ready</th><th>Version</th></tr></thead><tbody>${c.components.map((x) => `<tr class="${x.present && (x.desired === undefined || x.ready === x.desired) ? '' : 's-warn'}"><td>${esc(`${x.kind} ${x.namespace}/${x.name}`)}</td><td>${x.present ? esc(`${x.ready ?? '?'}/${x.desired ?? '?'}`) : 'not present'}</td><td>${esc(x.version ?? '')}</td></tr>`).join('')}</tbody></table>` : ''}
${c.nodes.length ? `<table><thead><tr><th>Node</th><th>Agent</th><th>Status</th></tr></thead><tbody>${c.nodes.map((n) => `<tr class="${n.ready ? '' : 's-bad'}"><td>${esc(n.node)}</td><td>${esc(n.pod ?? '')}</td><td>${n.ready ? badge('ok', 'ready') : badge('bad', `not ready${n.reason ? `: ${n.reason}` : ''}`)}</td></tr>`).join('')}</tbody></table>` : ''}
${c.evidence.length ? `<details><summary>Detected from</summary><ul class="plain">${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></details>` : ''}</section>`);
  }

  parts.push(`<h2>${m.question ? 'Policies involved' : 'Policies'} (${m.policies.length})</h2>`);
  parts.push(
    m.policies.length
      ? m.policies
          .map(
            (p) =>
              `<section class="card"><h3>${esc(p.kind)} ${esc(p.namespace ? `${p.namespace}/` : '')}${esc(p.name)}</h3><pre>${esc(p.yaml)}</pre></section>`,
          )
          .join('\n')
      : '<p class="muted">No policy is involved.</p>',
  );

  parts.push(`<h2>Lint findings${m.question ? ' for the namespaces involved' : ''} (${m.lint.length})</h2>`);
  parts.push(
    m.lint.length
      ? `<section class="card"><table><thead><tr><th>Severity</th><th>Object</th><th>Finding</th></tr></thead><tbody>${m.lint.map((l) => `<tr><td>${badge(l.severity, l.severity)}</td><td>${esc(l.object)}<div class="muted">${esc(l.rule)}</div></td><td>${esc(l.message)}</td></tr>`).join('')}</tbody></table></section>`
      : '<p class="muted">No lint findings.</p>',
  );

  parts.push('<h2>Policy coverage</h2>');
  parts.push(
    `<section class="card"><table><thead><tr><th>Namespace</th><th>Pods</th><th>Isolated for ingress</th><th>Isolated for egress</th><th>NetworkPolicies</th></tr></thead><tbody>${m.coverage
      .map(
        (r) =>
          `<tr><td>${esc(r.namespace)}</td><td>${r.pods}</td><td>${r.pods ? `${r.isolatedIngress}/${r.pods}` : '–'} ${r.pods && r.isolatedIngress === r.pods ? badge('ok', 'all') : r.pods && r.isolatedIngress === 0 ? badge('warn', 'none') : ''}</td><td>${r.pods ? `${r.isolatedEgress}/${r.pods}` : '–'} ${r.pods && r.isolatedEgress === r.pods ? badge('ok', 'all') : r.pods && r.isolatedEgress === 0 ? badge('warn', 'none') : ''}</td><td>${r.policies}</td></tr>`,
      )
      .join('')}</tbody></table></section>`,
  );

  parts.push('<h2>What could not be checked</h2>');
  parts.push(
    `<section class="card"><ul class="plain">${m.notChecked.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`,
  );
  parts.push(
    `<footer>Generated by ${esc(m.tool.name)} ${esc(m.tool.version)} on ${esc(m.generatedAt)} · report schema ${esc(m.schemaVersion)} · contains no credentials</footer>`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${esc(`Netpol Doctor — ${title}`)}</title><style>${CSS}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}
