import type { Command } from 'commander';
import { addSourceOptions, loadSource } from '../source';
import type { SourceOptions } from '../source';
import type { Engine, LintFinding } from '@shared/engine/types';

interface LintOptions extends SourceOptions {
  json?: boolean;
}

function objectText(o: LintFinding['object']): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`.trim();
}

function renderText(findings: LintFinding[]): string {
  if (!findings.length) return 'No findings.\n';
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.severity.toUpperCase().padEnd(7)} ${f.rule}  ${objectText(f.object)}`);
    lines.push(`        ${f.message}`);
    if (f.fix) {
      lines.push(`        fix: ${f.fix.description}`);
      if (f.fix.command) lines.push(...f.fix.command.split('\n').map((l) => `          ${l}`));
    }
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  lines.push('', `${count('error')} errors, ${count('warning')} warnings, ${count('info')} info`);
  return `${lines.join('\n')}\n`;
}

/** `netpol-doctor lint [--json]`: policy mistakes that silently allow or block traffic. */
export function registerLint(program: Command): void {
  addSourceOptions(
    program
      .command('lint')
      .description(
        'find policy mistakes: selectors that match nothing, OR-ed peers, missing DNS egress, shadowed policies, ...',
      )
      .option(
        '--json',
        'print {"findings":[{"rule","severity","object":{"kind","namespace","name"},"message","fix"?}]}',
      ),
  ).action(async (opts: LintOptions) => {
    const snapshot = await loadSource(opts);
    const { lintSnapshot } = await import('@shared/lint/index');
    let engine: Engine | undefined;
    try {
      const { createEngine } = await import('@shared/engine/index');
      const { wellFormedView } = await import('@shared/snapshot/well-formed');
      engine = createEngine(wellFormedView(snapshot, { keepPolicies: true })); // the engine sanitizes policies
    } catch {
      engine = undefined; // lint still runs its structural checks
    }
    const findings = lintSnapshot(snapshot, engine);
    process.stdout.write(opts.json ? `${JSON.stringify({ findings }, null, 2)}\n` : renderText(findings));
  });
}
