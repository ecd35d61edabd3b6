import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';

interface ContextsOptions {
  kubeconfig?: string;
  json?: boolean;
}

/** `netpol-doctor contexts [--kubeconfig P] [--json]`: the merged kubeconfig contexts, never credentials. */
export function registerContexts(program: Command): void {
  program
    .command('contexts')
    .description('list the kubeconfig contexts ($KUBECONFIG files merged as kubectl does, or ~/.kube/config)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option(
      '--json',
      'print JSON: {"current":..,"contexts":[{"name","cluster","user","namespace","server"}]}',
    )
    .action(async (opts: ContextsOptions) => {
      const { listContexts } = await import('../../cluster/contexts');
      const list = listContexts({ kubeconfig: opts.kubeconfig });
      for (const p of list.problems) process.stderr.write(`netpol-doctor: warning: ${p.message}\n`);
      if (!list.contexts.length && list.problems.length) {
        throw new CliError(
          `no usable kubeconfig context (${list.problems.map((p) => p.message).join('; ')})`,
          EXIT.badInput,
        );
      }
      const rows = list.contexts.map((c) => ({
        name: c.name,
        cluster: c.cluster,
        user: c.user,
        namespace: c.namespace ?? null,
        server: c.server ?? null,
      }));
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ current: list.current ?? null, contexts: rows }, null, 2)}\n`,
        );
        return;
      }
      const header = ['CURRENT', 'NAME', 'CLUSTER', 'USER', 'NAMESPACE', 'SERVER'];
      const table = [
        header,
        ...rows.map((r) => [
          r.name === list.current ? '*' : '',
          r.name,
          r.cluster,
          r.user,
          r.namespace ?? '',
          r.server ?? '',
        ]),
      ];
      const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
      for (const row of table)
        process.stdout.write(
          `${row
            .map((cell, i) => cell.padEnd(widths[i]))
            .join('   ')
            .trimEnd()}\n`,
        );
    });
}
